package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The migrations stay inside what both PostgreSQL and CockroachDB accept: nothing that CockroachDB lacks anywhere,
 * and nothing CockroachDB-only outside its own folder. CockroachDB cannot run on these machines, so this is the
 * guard that keeps the shared DDL honest.
 */
class MigrationCompatibilityTest {
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

    /** CockroachDB has none of these (or only in preview): they would break the production database. */
    private static final List<Pattern> MISSING_ON_COCKROACH = List.of(
            word("CREATE\\s+(OR\\s+REPLACE\\s+)?TRIGGER"), word("LISTEN"), word("NOTIFY"), word("SERIAL"),
            word("BIGSERIAL"), word("SMALLSERIAL"), word("CREATE\\s+SEQUENCE"), word("NEXTVAL"),
            word("CREATE\\s+(OR\\s+REPLACE\\s+)?FUNCTION"), word("CREATE\\s+(OR\\s+REPLACE\\s+)?PROCEDURE"),
            word("CREATE\\s+EXTENSION"), word("USING\\s+(GIN|GIST|BRIN|SPGIST)"), word("EXCLUDE\\s+USING"),
            word("CREATE\\s+RULE"), word("INHERITS"), word("TABLESPACE"), word("UNLOGGED"),
            word("GENERATED\\s+ALWAYS\\s+AS\\s+IDENTITY"), word("CLUSTER"));

    /** These exist only on CockroachDB: PostgreSQL would fail on them. */
    private static final List<Pattern> COCKROACH_ONLY = List.of(
            word("USING\\s+HASH"), word("UPSERT"), word("INVERTED"), word("AS\\s+OF\\s+SYSTEM\\s+TIME"),
            word("STORING"), word("INTERLEAVE"), word("FAMILY"));

    private static Pattern word(String regex) {
        return Pattern.compile("\\b" + regex + "\\b");
    }

    @Test
    void noMigrationUsesWhatCockroachDbLacks() throws IOException {
        for (Path file : sqlFiles()) {
            String sql = statements(file);
            for (Pattern forbidden : MISSING_ON_COCKROACH) {
                assertThat(forbidden.matcher(sql).find()).as("%s uses %s", file, forbidden).isFalse();
            }
        }
    }

    @Test
    void cockroachOnlySyntaxLivesOnlyInTheCockroachFolder() throws IOException {
        for (Path file : sqlFiles()) {
            if (file.startsWith(MIGRATIONS.resolve("cockroachdb"))) {
                continue;
            }
            String sql = statements(file);
            for (Pattern cockroachOnly : COCKROACH_ONLY) {
                assertThat(cockroachOnly.matcher(sql).find()).as("%s uses %s", file, cockroachOnly).isFalse();
            }
        }
    }

    @Test
    void everyVendorFolderHasTheSameVersions() throws IOException {
        assertThat(versions("postgresql")).isEqualTo(versions("cockroachdb"));
    }

    @Test
    void theGuardCatchesWhatItLooksFor() {
        String bad = "CREATE TABLE x (id SERIAL PRIMARY KEY); CREATE TRIGGER t AFTER INSERT ON x";
        assertThat(MISSING_ON_COCKROACH.stream().anyMatch(p -> p.matcher(bad).find())).isTrue();
        assertThat(COCKROACH_ONLY.stream().anyMatch(p -> p.matcher("CREATE INDEX i ON x (a) USING HASH").find()))
                .isTrue();
    }

    private static List<Path> sqlFiles() throws IOException {
        try (Stream<Path> files = Files.walk(MIGRATIONS)) {
            List<Path> sql = files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
            assertThat(sql).isNotEmpty();
            return sql;
        }
    }

    private static List<String> versions(String vendor) throws IOException {
        try (Stream<Path> files = Files.list(MIGRATIONS.resolve(vendor))) {
            return files.map(f -> f.getFileName().toString().replaceAll("__.*", "")).sorted().toList();
        }
    }

    /** The SQL without comments, upper-cased. */
    private static String statements(Path file) throws IOException {
        return Files.readString(file).replaceAll("--[^\n]*", "").toUpperCase(Locale.ROOT);
    }
}
