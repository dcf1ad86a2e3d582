package dev.nostrgate.relay.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Set;
import org.jooq.Field;
import org.jooq.Schema;
import org.jooq.Table;

/**
 * The jOOQ schema classes generated from a module's migrations, compared with the tables Flyway built in a real
 * database: every table and column on both sides, each with the same nullability and a Java type that reads the
 * database type. The generator replays the migrations on H2 (with BYTEA and TEXT spelled VARBINARY and VARCHAR):
 * this is what keeps that replay honest.
 */
public final class SchemaClasses {
    /** The Java type that reads each PostgreSQL column type the migrations use. */
    private static final Map<String, Class<?>> JAVA_TYPES = Map.of(
            "bytea", byte[].class, "text", String.class, "int8", Long.class, "int4", Integer.class,
            "uuid", java.util.UUID.class, "bool", Boolean.class, "_int8", Long[].class,
            "timestamptz", java.time.OffsetDateTime.class);

    private SchemaClasses() {
    }

    /**
     * Differences between {@code classes} and the tables of {@code databaseSchema} (as "table.column: what"), none
     * when they agree. Tables named in {@code ignoredTables} (Flyway's history) are left out.
     */
    public static List<String> differences(Schema classes, String databaseSchema, Set<String> ignoredTables) {
        Map<String, String> generated = new TreeMap<>();
        for (Table<?> table : classes.getTables()) {
            for (Field<?> field : table.fields()) {
                generated.put(table.getName() + "." + field.getName(),
                        field.getType().getName() + (field.getDataType().nullable() ? " null" : " not null"));
            }
        }
        Map<String, String> database = new TreeMap<>();
        for (String[] column : columns(databaseSchema)) {
            if (ignoredTables.contains(column[0])) {
                continue;
            }
            Class<?> javaType = JAVA_TYPES.get(column[2]);
            database.put(column[0] + "." + column[1], (javaType == null ? "unmapped " + column[2] : javaType.getName())
                    + ("YES".equals(column[3]) ? " null" : " not null"));
        }
        List<String> differences = new ArrayList<>();
        for (String column : new TreeSet<>(union(generated.keySet(), database.keySet()))) {
            String expected = database.get(column);
            String actual = generated.get(column);
            if (expected == null) {
                differences.add(column + ": in the schema classes, not in the database");
            } else if (actual == null) {
                differences.add(column + ": in the database, not in the schema classes");
            } else if (!expected.equals(actual)) {
                differences.add(column + ": database " + expected + ", schema classes " + actual);
            }
        }
        return differences;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String[]> columns(String schema) {
        String sql = "SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns"
                + " WHERE table_schema = ? ORDER BY table_name, ordinal_position";
        try (Connection connection = DriverManager.getConnection(TestDatabase.SERVER, TestDatabase.USER, "");
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema);
            List<String[]> columns = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4)});
                }
            }
            return columns;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the columns of " + schema + ": " + e.getMessage(), e);
        }
    }
}
