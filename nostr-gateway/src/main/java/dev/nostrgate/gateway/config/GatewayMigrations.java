package dev.nostrgate.gateway.config;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The gateway's own tables ({@code classpath:db/gateway}), migrated beside the relay's event store by a second
 * Flyway history ({@value #HISTORY}) so that the two sets of migrations never collide. The schema classes
 * ({@code dev.nostrgate.gateway.schema}) are generated from the same scripts.
 */
public final class GatewayMigrations {
    /** The gateway's Flyway history table (the relay's is Flyway's default, {@code flyway_schema_history}). */
    public static final String HISTORY = "gateway_schema_history";

    private GatewayMigrations() {
    }

    /** Brings the gateway's tables up to date on this database (the relay's store migrated already). */
    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .table(HISTORY)
                .locations("classpath:db/gateway")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
