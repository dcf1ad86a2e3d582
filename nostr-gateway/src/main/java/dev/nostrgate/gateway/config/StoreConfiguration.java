package dev.nostrgate.gateway.config;

import dev.nostrgate.relay.store.Database;
import dev.nostrgate.relay.store.DatabaseConfig;
import dev.nostrgate.relay.store.SqlEventStore;
import dev.nostrgate.relay.store.StoreConfig;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The aggregate store: the relay's event store (same schema, same rules) plus the gateway's own tables, migrated
 * by a second Flyway history ({@code gateway_schema_history}) so the two sets of migrations never collide.
 */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

    @Bean(destroyMethod = "close")
    Database database(GatewayProperties properties) {
        GatewayProperties.Database settings = properties.database();
        DatabaseConfig config = new DatabaseConfig(
                settings.url().isBlank() ? Optional.empty() : Optional.of(settings.url()),
                settings.user(), settings.password(), settings.dataDir(), settings.readPoolSize());
        Database database = Database.open(config, settings.queryTimeout());
        Flyway.configure()
                .dataSource(database.writes())
                .table("gateway_schema_history")
                .locations("classpath:db/gateway")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        return database;
    }

    @Bean
    SqlEventStore eventStore(Database database, GatewayProperties properties) {
        GatewayProperties.Database settings = properties.database();
        return new SqlEventStore(database, new StoreConfig(settings.maxLimit(), settings.queryTimeout()));
    }

    /** The writes pool, for the gateway's own small tables. */
    @Bean
    @Primary
    DataSource dataSource(Database database) {
        return database.writes();
    }

    @Bean
    JdbcClient jdbcClient(DataSource dataSource) {
        return JdbcClient.create(dataSource);
    }
}
