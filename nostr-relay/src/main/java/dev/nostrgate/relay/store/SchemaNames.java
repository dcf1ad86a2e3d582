package dev.nostrgate.relay.store;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.Named;
import org.jooq.QueryPart;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The store's SQL from the schema classes generated from the migrations, so that a renamed table or column breaks
 * the build, not a statement at run time: statements built with jOOQ's DSL and rendered once (as constants, or once
 * per filter shape), and table and column names for the writer's statements that stay text (array parameters,
 * data-modifying CTEs, {@code COPY}), also built once, as constants.
 */
final class SchemaNames {
    static {
        // jOOQ prints a banner and a tip of the day on first use: not in a relay's log
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
    }

    /** PostgreSQL's dialect, which is what CockroachDB speaks; plain lower-case names, one line. */
    private static final DSLContext POSTGRES = DSL.using(SQLDialect.POSTGRES, new Settings()
            .withRenderQuotedNames(RenderQuotedNames.NEVER)
            .withRenderFormatted(false));

    private SchemaNames() {
    }

    /** The SQL of a statement built with jOOQ's DSL, a {@code ?} for each parameter: for constants, built once. */
    static String sql(QueryPart statement) {
        return POSTGRES.render(statement);
    }

    /** The SQL with each named parameter as {@code :name} (see FilterSql). */
    static String sqlWithNamedParameters(QueryPart statement) {
        return POSTGRES.renderNamedParams(statement);
    }

    /** The names, unqualified, separated by commas: a table, or a column list. */
    static String name(Named... names) {
        return Arrays.stream(names).map(Named::getName).collect(Collectors.joining(", "));
    }
}
