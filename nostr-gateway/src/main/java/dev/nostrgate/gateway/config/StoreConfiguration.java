package dev.nostrgate.gateway.config;

import com.zaxxer.hikari.HikariDataSource;
import dev.nostrgate.relay.store.Database;
import dev.nostrgate.relay.store.DatabaseConfig;
import dev.nostrgate.relay.store.SqlEventStore;
import dev.nostrgate.relay.store.StoreConfig;
import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.DataSourceConnectionProvider;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.DefaultTransactionProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The aggregate store: the relay's event store (same schema, same rules) plus the gateway's own tables
 * ({@link GatewayMigrations}), read and written with jOOQ.
 */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {
    /** Small: its statements are short single-row reads and writes, and a relay's are few per minute. */
    static final int CONTROL_POOL_SIZE = 4;

    @Bean(destroyMethod = "close")
    Database database(GatewayProperties properties) {
        GatewayProperties.Database settings = properties.database();
        DatabaseConfig config = new DatabaseConfig(
                settings.url().isBlank() ? Optional.empty() : Optional.of(settings.url()),
                settings.user(), settings.password(), settings.dataDir(), settings.readPoolSize());
        Database database = Database.open(config, settings.queryTimeout());
        GatewayMigrations.migrate(database.writes());
        return database;
    }

    @Bean
    SqlEventStore eventStore(Database database, GatewayProperties properties) {
        GatewayProperties.Database settings = properties.database();
        return new SqlEventStore(database, new StoreConfig(settings.maxLimit(), settings.queryTimeout()));
    }

    /** The writes pool: events, their provenance and stats, as the store writes them. */
    @Bean
    @Primary
    DataSource dataSource(Database database) {
        return database.writes();
    }

    /**
     * The control plane's pool: the relay registry (REST reads and changes, cursors) and the ownership leases. At a
     * thousand relays the sinks keep the store's 4 write connections busy with batches (hundreds may wait for one
     * while relays start), and a REST read or a lease renewal queued behind them answers late or loses its lease.
     */
    @Bean(destroyMethod = "close")
    HikariDataSource controlDataSource(Database database) {
        return database.newPool("gateway-control", CONTROL_POOL_SIZE);
    }

    /**
     * jOOQ over the writes pool, for the gateway's own tables: statements rendered as PostgreSQL speaks it, the one
     * dialect CockroachDB accepts too (jOOQ's open-source edition has none of CockroachDB's own). Built here rather
     * than by Boot's jOOQ auto-configuration (excluded in {@code GatewayApplication}), which would pick the dialect
     * from the connection and run transactions through Spring's: the gateway's transactions are jOOQ's, and short.
     */
    @Bean
    @Primary
    DSLContext dsl(DataSource dataSource) {
        return jooq(dataSource);
    }

    /** jOOQ as {@link #dsl}, over the control plane's pool: for {@code RelayRegistry} and {@code LeaseTable}. */
    @Bean
    DSLContext controlDsl(@Qualifier("controlDataSource") DataSource controlDataSource) {
        return jooq(controlDataSource);
    }

    private static DSLContext jooq(DataSource dataSource) {
        DefaultConfiguration configuration = new DefaultConfiguration();
        configuration.set(SQLDialect.POSTGRES);
        configuration.set(new DataSourceConnectionProvider(dataSource));
        // Never nested, so no SAVEPOINT around every transaction: one round trip less, and a transaction that
        // CockroachDB restarts (40001) is retried whole by the caller, never rolled back to a savepoint.
        configuration.set(new DefaultTransactionProvider(configuration.connectionProvider(), false));
        return DSL.using(configuration);
    }
}
