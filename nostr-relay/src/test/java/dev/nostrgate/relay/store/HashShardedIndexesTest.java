package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every time-ordered index of the PostgreSQL schema has a hash-sharded counterpart in the CockroachDB migrations,
 * or a written reason why it is no hot range there: a new index cannot forget it. Textual, since CockroachDB
 * cannot run here.
 */
class HashShardedIndexesTest {
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    private static final Pattern INDEX = Pattern.compile(
            "CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+(\\w+)\\s+ON\\s+\\w+\\s*\\(([^)]*)\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern TIME_COLUMN = Pattern.compile("\\b(created_at|expires_at)\\b");

    /** Time-ordered, but behind a column with many uniformly spread values: no single newest end to crowd. */
    private static final Map<String, String> NOT_HOT = Map.of(
            "events_pubkey_kind_created", "the author comes first: many authors, pubkeys uniformly spread",
            "events_pubkey_created", "the author comes first: many authors, pubkeys uniformly spread");

    @Test
    void everyTimeOrderedPostgresqlIndexIsHashShardedOnCockroachOrSaysWhyNot() throws IOException {
        Map<String, String> timeOrdered = timeOrderedIndexes(sql("common") + sql("postgresql"));
        assertThat(timeOrdered).as("the guard sees the indexes it is about")
                .containsKeys("events_created", "events_kind_created", "events_expires", "event_tags_lookup");
        String cockroach = normalized(sql("common") + sql("cockroachdb"));
        for (Map.Entry<String, String> index : timeOrdered.entrySet()) {
            if (NOT_HOT.containsKey(index.getKey())) {
                continue;
            }
            assertThat(cockroach).as("%s (%s) needs a USING HASH counterpart in db/migration/cockroachdb, or a "
                    + "reason in NOT_HOT", index.getKey(), index.getValue())
                    .contains("(" + index.getValue() + ") USING HASH");
        }
        assertThat(timeOrdered).as("every NOT_HOT entry names an index that exists").containsKeys(
                NOT_HOT.keySet().toArray(String[]::new));
    }

    @Test
    void theGuardNoticesAnIndexWithoutItsShardedCounterpart() {
        Map<String, String> indexes = timeOrderedIndexes("CREATE INDEX events_new ON events (kind, created_at);");
        assertThat(indexes).containsEntry("events_new", "kind, created_at");
        assertThat(normalized("CREATE INDEX e ON events (kind,\n  created_at)  USING   HASH"))
                .contains("(" + indexes.get("events_new") + ") USING HASH");
        assertThat(normalized("CREATE INDEX e ON events (kind, created_at)")).doesNotContain("USING HASH");
    }

    /** Index name to its column list, normalized, for the indexes with a time column. */
    private static Map<String, String> timeOrderedIndexes(String sql) {
        Map<String, String> indexes = new LinkedHashMap<>();
        Matcher matcher = INDEX.matcher(sql);
        while (matcher.find()) {
            String columns = normalized(matcher.group(2));
            if (TIME_COLUMN.matcher(columns).find()) {
                indexes.put(matcher.group(1), columns);
            }
        }
        return indexes;
    }

    /** Single spaces, none inside parentheses' edges, SQL keywords upper-cased (DESC, USING HASH). */
    private static String normalized(String sql) {
        String text = sql.replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")").replace(" ,", ",")
                .replaceAll(",(?! )", ", ");
        return Pattern.compile("\\b(desc|asc|using|hash)\\b", Pattern.CASE_INSENSITIVE).matcher(text)
                .replaceAll(match -> match.group().toUpperCase(Locale.ROOT));
    }

    /** The statements of one migration folder, in version order, comments removed. */
    private static String sql(String folder) throws IOException {
        try (Stream<Path> files = Files.list(MIGRATIONS.resolve(folder))) {
            List<Path> sorted = files.filter(f -> f.toString().endsWith(".sql"))
                    .sorted((a, b) -> Integer.compare(version(a), version(b))).toList();
            StringBuilder all = new StringBuilder();
            for (Path file : sorted) {
                all.append(Files.readString(file).replaceAll("--[^\n]*", "")).append('\n');
            }
            return all.toString();
        }
    }

    private static int version(Path file) {
        return Integer.parseInt(file.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1"));
    }
}
