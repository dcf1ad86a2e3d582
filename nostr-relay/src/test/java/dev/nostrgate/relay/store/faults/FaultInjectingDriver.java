package dev.nostrgate.relay.store.faults;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A JDBC driver for {@code jdbc:faults:postgresql://...} URLs: pgjdbc underneath, with CockroachDB's retry errors
 * (40001, 40003) injected into a seeded fraction of operations (see {@link FaultSettings}, {@link InjectedFaults}).
 * Registered through {@code META-INF/services/java.sql.Driver}, so HikariCP and {@code DriverManager} find it from
 * the URL alone and production code runs over it unchanged.
 */
public final class FaultInjectingDriver implements Driver {
    // DriverManager only instantiates what ServiceLoader lists; a driver registers itself, as pgjdbc does.
    static {
        try {
            DriverManager.registerDriver(new FaultInjectingDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Driver postgresql = new org.postgresql.Driver();

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;   // JDBC: another driver's URL
        }
        FaultSettings settings = FaultSettings.of(url);
        return FaultingConnection.wrap(postgresql.connect(FaultSettings.postgresqlUrl(url), info), settings);
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(FaultSettings.PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return postgresql.getPropertyInfo(FaultSettings.postgresqlUrl(url), info);
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("the fault-injecting driver does not log through java.util.logging");
    }
}
