package dev.nostrgate.relay.store;

import static dev.nostrgate.relay.store.SchemaNames.name;
import static dev.nostrgate.relay.store.schema.Tables.EVENT_TAGS;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.InvalidEventException;
import dev.nostrgate.core.event.Tag;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jooq.Field;
import org.postgresql.PGConnection;

/**
 * The rows of {@code event_tags} for an event: its single-letter tags with a value (the ones NIP-01 filters can
 * match), each (name, value) once. A value longer than {@value #MAX_INDEXED_LENGTH} characters is stored as
 * {@code sha256:<hex>} so that index entries stay small (PostgreSQL refuses B-tree entries over ~2.7 kB); queries
 * transform their values the same way, so matching stays exact.
 *
 * <p>Rows are written and deleted by their whole key (name, value, created_at, event_key): that key is the table's
 * only index, so a deleted event's tag rows are found from the event itself (its stored JSON).
 */
final class TagRows {
    static final int MAX_INDEXED_LENGTH = 256;

    private static final String TABLE = name(EVENT_TAGS);
    /** A row's key, the table's only index: a row is written and deleted by it. */
    private static final List<Field<?>> KEY =
            List.of(EVENT_TAGS.NAME, EVENT_TAGS.VALUE, EVENT_TAGS.CREATED_AT, EVENT_TAGS.EVENT_KEY);
    /** Deletes rows by key; parameters 1-4 the key columns as arrays. */
    private static final String DELETE = "DELETE FROM " + TABLE + " t USING "
            + "unnest(?::TEXT[], ?::TEXT[], ?::BIGINT[], ?::UUID[]) AS d(" + name(KEY.toArray(Field[]::new))
            + ") WHERE " + KEY.stream().map(column -> "t." + column.getName() + " = d." + column.getName())
                    .collect(Collectors.joining(" AND "));
    /** The columns of {@code event_tags}, in {@link Columns#bind}'s order (the key, then the kind). */
    static final String NAMES = name(EVENT_TAGS.NAME, EVENT_TAGS.VALUE, EVENT_TAGS.CREATED_AT,
            EVENT_TAGS.EVENT_KEY, EVENT_TAGS.KIND);

    record TagRow(String name, String value) {
    }

    private TagRows() {
    }

    static List<TagRow> of(Event event) {
        Set<TagRow> rows = new LinkedHashSet<>();
        for (Tag tag : event.tags()) {
            if (tag.isIndexable()) {
                rows.add(new TagRow(tag.name(), indexForm(tag.value())));
            }
        }
        return new ArrayList<>(rows);
    }

    /** An event leaving {@code events}: enough to find its tag rows. */
    record Removed(UUID key, long createdAt, String json) {
    }

    /** Up to this many rows go in one INSERT; more go through COPY on PostgreSQL. */
    static final int INSERT_MAX_ROWS = 256;

    /**
     * On CockroachDB, many rows go in INSERTs of up to this many rows each (all in the caller's transaction): large
     * enough that a batch of a thousand events is a few statements, small enough that no one statement carries
     * megabytes of arrays.
     */
    static final int COCKROACH_CHUNK_ROWS = 2_000;

    /**
     * Inserts the tag rows of events this transaction has just inserted. No row can already exist: only the writer
     * whose insert of the event succeeded writes its tags, and {@link #of} lists each (name, value) once.
     *
     * <p>A few rows go in one {@code INSERT ... unnest}: one round trip where {@code COPY} takes two, and with one
     * event in flight per client a batch is a few events. On PostgreSQL many rows go through {@code COPY} (its
     * fastest way in): with batches of a thousand events it took the store benchmark from 16.1k to 19.5k events/s.
     * On CockroachDB they go in {@value #COCKROACH_CHUNK_ROWS}-row INSERTs instead: its {@code COPY FROM} is
     * only for members of the admin role (docs: copy-from, "Required privileges"), and outside an explicit
     * transaction it commits in batches of 100 rows unless {@code copy_from_atomic_enabled} is on (docs:
     * session variables), neither of which a relay's database user should depend on.
     */
    static void insert(Connection connection, Database.Vendor vendor, List<Event> events) throws SQLException {
        Columns columns = new Columns(events);
        if (columns.size() == 0) {
            return;
        }
        if (columns.size() <= INSERT_MAX_ROWS) {
            insertRows(connection, columns, 0, columns.size());
        } else if (vendor == Database.Vendor.COCKROACHDB) {
            for (int from = 0; from < columns.size(); from += COCKROACH_CHUNK_ROWS) {
                insertRows(connection, columns, from, Math.min(columns.size(), from + COCKROACH_CHUNK_ROWS));
            }
        } else {
            copy(connection, columns);
        }
    }

    private static void insertRows(Connection connection, Columns columns, int from, int to) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + TABLE + " (" + NAMES + ") SELECT * FROM " + UNNEST)) {
            columns.bind(insert, 1, from, to);
            insert.executeUpdate();
        }
    }

    private static void copy(Connection connection, Columns columns) throws SQLException {
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY " + TABLE + " (" + NAMES + ") FROM STDIN",
                    new StringReader(columns.copyText()));
        } catch (IOException e) {
            throw new SQLException("COPY into event_tags failed: " + e.getMessage(), e);
        }
    }

    /** The rows as a table expression of {@link Columns#bind}'s five array parameters, named like the table. */
    static final String UNNEST = "unnest(?::TEXT[], ?::TEXT[], ?::BIGINT[], ?::UUID[], ?::INT[]) "
            + "AS t(" + NAMES + ")";

    /** The tag rows of some events, column by column, to be bound as arrays (see {@link #UNNEST}). */
    static final class Columns {
        private final List<String> names = new ArrayList<>();
        private final List<String> values = new ArrayList<>();
        private final List<Long> createdAts = new ArrayList<>();
        private final List<UUID> keys = new ArrayList<>();
        private final List<Integer> kinds = new ArrayList<>();

        Columns(List<Event> events) {
            for (Event event : events) {
                UUID key = EventKeys.of(event.id().toBytes());
                for (TagRow row : of(event)) {
                    names.add(row.name());
                    values.add(row.value());
                    createdAts.add(event.createdAt());
                    keys.add(key);
                    kinds.add(event.kind());
                }
            }
        }

        int size() {
            return names.size();
        }

        /** The rows in COPY's text format, columns in the order of {@link #UNNEST}. */
        String copyText() {
            StringBuilder rows = new StringBuilder(names.size() * 120);
            for (int i = 0; i < names.size(); i++) {
                appendCopyText(rows, names.get(i)).append('\t');
                appendCopyText(rows, values.get(i)).append('\t');
                rows.append(createdAts.get(i)).append('\t').append(keys.get(i)).append('\t').append(kinds.get(i))
                        .append('\n');
            }
            return rows.toString();
        }

        /** Binds the five columns to parameters {@code first} to {@code first + 4}. */
        void bind(PreparedStatement statement, int first) throws SQLException {
            bind(statement, first, 0, size());
        }

        /** Binds rows {@code from} (inclusive) to {@code to} (exclusive) of the five columns, as {@link #bind}. */
        void bind(PreparedStatement statement, int first, int from, int to) throws SQLException {
            Connection connection = statement.getConnection();
            statement.setArray(first, connection.createArrayOf("text",
                    names.subList(from, to).toArray(String[]::new)));
            statement.setArray(first + 1, connection.createArrayOf("text",
                    values.subList(from, to).toArray(String[]::new)));
            statement.setArray(first + 2, connection.createArrayOf("int8",
                    createdAts.subList(from, to).toArray(Long[]::new)));
            statement.setArray(first + 3, connection.createArrayOf("uuid",
                    keys.subList(from, to).toArray(UUID[]::new)));
            statement.setArray(first + 4, connection.createArrayOf("int4",
                    kinds.subList(from, to).toArray(Integer[]::new)));
        }
    }

    /** COPY's text format: backslash, tab, newline and carriage return are escaped; everything else is as is. */
    private static StringBuilder appendCopyText(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out;
    }

    /** Deletes the tag rows of events that were just deleted from {@code events}. */
    static void delete(Connection connection, List<Removed> removed) throws SQLException {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        List<Long> createdAts = new ArrayList<>();
        List<UUID> keys = new ArrayList<>();
        for (Removed event : removed) {
            List<TagRow> rows;
            try {
                rows = of(EventJson.parse(event.json()));
            } catch (InvalidEventException e) {
                throw new SQLException("stored event " + event.key() + " no longer parses: " + e.getMessage(), e);
            }
            for (TagRow row : rows) {
                names.add(row.name());
                values.add(row.value());
                createdAts.add(event.createdAt());
                keys.add(event.key());
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
            delete.setArray(1, connection.createArrayOf("text", names.toArray(String[]::new)));
            delete.setArray(2, connection.createArrayOf("text", values.toArray(String[]::new)));
            delete.setArray(3, connection.createArrayOf("int8", createdAts.toArray(Long[]::new)));
            delete.setArray(4, connection.createArrayOf("uuid", keys.toArray(UUID[]::new)));
            delete.executeUpdate();
        }
    }

    /** The stored form of a tag value. */
    static String indexForm(String value) {
        if (value.length() <= MAX_INDEXED_LENGTH) {
            return value;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + Hex.encode(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
