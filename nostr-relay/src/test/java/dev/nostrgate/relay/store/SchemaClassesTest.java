package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.relay.store.schema.DefaultSchema;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The relay's generated schema classes describe exactly the tables its migrations build on PostgreSQL. */
class SchemaClassesTest {
    @Test
    void schemaClassesMatchTheMigratedDatabase() {
        try (TestDatabase database = TestDatabase.create()) {
            assertThat(SchemaClasses.differences(DefaultSchema.DEFAULT_SCHEMA, database.schema(),
                    Set.of("flyway_schema_history"))).isEmpty();
        }
    }
}
