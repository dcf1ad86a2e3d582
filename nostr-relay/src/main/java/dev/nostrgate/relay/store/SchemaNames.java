package dev.nostrgate.relay.store;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.jooq.Named;

/**
 * Table and column names for the writer's SQL text, taken from the schema classes generated from the migrations:
 * a renamed table or column breaks the build, not a statement at run time. The writer's statements stay text
 * (array parameters, data-modifying CTEs, {@code COPY}) and are built once, as constants.
 */
final class SchemaNames {
    private SchemaNames() {
    }

    /** The names, unqualified, separated by commas: a table, or a column list. */
    static String name(Named... names) {
        return Arrays.stream(names).map(Named::getName).collect(Collectors.joining(", "));
    }
}
