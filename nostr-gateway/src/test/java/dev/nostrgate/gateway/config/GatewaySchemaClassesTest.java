package dev.nostrgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.gateway.schema.DefaultSchema;
import dev.nostrgate.relay.store.SchemaClasses;
import dev.nostrgate.relay.store.TestDatabase;
import java.util.HashSet;
import java.util.Set;
import org.jooq.Table;
import org.junit.jupiter.api.Test;

/**
 * The gateway's generated schema classes describe exactly the tables its migrations add to the relay's store on
 * PostgreSQL (the relay's own tables are the relay's SchemaClassesTest's).
 */
class GatewaySchemaClassesTest {
    @Test
    void schemaClassesMatchTheMigratedDatabase() {
        try (TestDatabase database = TestDatabase.create()) {
            GatewayMigrations.migrate(database.database().writes());

            assertThat(SchemaClasses.differences(DefaultSchema.DEFAULT_SCHEMA, database.schema(), notTheGateways()))
                    .isEmpty();
        }
    }

    private static Set<String> notTheGateways() {
        Set<String> tables = new HashSet<>(Set.of("flyway_schema_history", GatewayMigrations.HISTORY));
        for (Table<?> table : dev.nostrgate.relay.store.schema.DefaultSchema.DEFAULT_SCHEMA.getTables()) {
            tables.add(table.getName());
        }
        return tables;
    }
}
