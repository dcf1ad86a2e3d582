package dev.nostrgate.relay.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tables one SQL statement modifies, each as often as the statement modifies it: {@code INSERT INTO x},
 * {@code UPSERT INTO x}, {@code UPDATE x}, {@code DELETE FROM x}, in the main statement and in its CTEs.
 *
 * <p>CockroachDB refuses a statement with two modification subqueries of one table (unless all are plain INSERTs),
 * because it could corrupt a row modified twice (cockroachdb/cockroach#70731, refused since #70976; the session
 * variable {@code enable_multiple_modifications_of_table} lifts the refusal without fixing the cause). The store
 * keeps the simpler rule: each table at most once per statement.
 *
 * <p>A textual reading, enough for the statements this project writes: string literals and comments are removed
 * first, and {@code ON CONFLICT ... DO UPDATE} (part of its INSERT) and {@code FOR UPDATE} (a lock, not a write)
 * are not modifications.
 */
public final class ModifiedTables {
    private static final Pattern LITERALS_AND_COMMENTS = Pattern.compile("'(?:[^']|'')*'|--[^\n]*|/\\*.*?\\*/",
            Pattern.DOTALL);
    private static final Pattern NOT_A_MODIFICATION = Pattern.compile(
            "\\bDO\\s+UPDATE\\b|\\bFOR\\s+(NO\\s+KEY\\s+)?UPDATE\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern MODIFICATION = Pattern.compile(
            "\\b(?:INSERT\\s+INTO|UPSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+(?:ONLY\\s+)?((?:\"[^\"]+\"|\\w+)"
                    + "(?:\\.(?:\"[^\"]+\"|\\w+))*)", Pattern.CASE_INSENSITIVE);

    private ModifiedTables() {
    }

    /** Each table the statement modifies, once per modification, in the order they appear (no schema prefix). */
    public static List<String> of(String sql) {
        String text = NOT_A_MODIFICATION.matcher(LITERALS_AND_COMMENTS.matcher(sql).replaceAll(" "))
                .replaceAll(" ");
        List<String> tables = new ArrayList<>();
        Matcher matcher = MODIFICATION.matcher(text);
        while (matcher.find()) {
            String name = matcher.group(1);
            String last = name.substring(name.lastIndexOf('.') + 1);
            tables.add(last.startsWith("\"") ? last.substring(1, last.length() - 1)
                    : last.toLowerCase(Locale.ROOT));
        }
        return tables;
    }

    /** The tables the statement modifies more than once, with how often; empty if none. */
    public static Map<String, Integer> modifiedTwice(String sql) {
        Map<String, Integer> counts = new TreeMap<>();
        of(sql).forEach(table -> counts.merge(table, 1, Integer::sum));
        counts.values().removeIf(count -> count < 2);
        return counts;
    }
}
