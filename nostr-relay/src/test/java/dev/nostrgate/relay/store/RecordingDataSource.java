package dev.nostrgate.relay.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * A DataSource that writes down every SQL statement sent through its connections, to check what a store sends
 * without a CockroachDB to send it to. Statements are recorded when prepared or executed as text; a COPY is
 * recorded as {@link #COPY} when a connection is unwrapped to the driver's {@link PGConnection}, the only way to
 * reach its COPY API.
 */
final class RecordingDataSource implements DataSource {
    static final String COPY = "COPY (through PGConnection.getCopyAPI)";

    private final DataSource target;
    private final List<String> statements;

    private RecordingDataSource(DataSource target, List<String> statements) {
        this.target = target;
        this.statements = statements;
    }

    /** Both data sources record into one list, in the order the statements were sent. */
    static List<RecordingDataSource> recording(DataSource writes, DataSource reads) {
        List<String> statements = new CopyOnWriteArrayList<>();
        return List.of(new RecordingDataSource(writes, statements), new RecordingDataSource(reads, statements));
    }

    /** Every statement sent so far. */
    List<String> statements() {
        return List.copyOf(statements);
    }

    void clear() {
        statements.clear();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return recordingConnection(target.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return recordingConnection(target.getConnection(user, password));
    }

    private Connection recordingConnection(Connection connection) {
        return proxy(Connection.class, connection, (method, args) -> {
            switch (method.getName()) {
                case "prepareStatement", "prepareCall", "nativeSQL" -> statements.add((String) args[0]);
                case "unwrap" -> {
                    if (args[0] == PGConnection.class) {
                        statements.add(COPY);
                    }
                }
                default -> { }
            }
            Object result = method.invoke(connection, args);
            return method.getName().equals("createStatement") ? recordingStatement((Statement) result) : result;
        });
    }

    private Statement recordingStatement(Statement statement) {
        return proxy(Statement.class, statement, (method, args) -> {
            if (args != null && args.length > 0 && args[0] instanceof String sql
                    && method.getName().matches("execute.*|addBatch")) {
                statements.add(sql);
            }
            return method.invoke(statement, args);
        });
    }

    private interface Call {
        Object invoke(Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, T target, Call call) {
        InvocationHandler handler = (proxy, method, args) -> {
            try {
                return call.invoke(method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause(); // the driver's own SQLException, as the store would see it
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return target.isWrapperFor(iface);
    }
}
