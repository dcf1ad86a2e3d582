package dev.nostrgate.relay.store;

/**
 * A real PostgreSQL error of a chosen SQLSTATE, raised by a trigger on every insert or update of one table (or only
 * of rows whose {@code json} contains a marker) until closed: an outage (57P01, 08006) or a refusal (22023) that
 * the code under test meets exactly as it would from a server, with nothing mocked.
 */
public final class TableFault implements AutoCloseable {
    private final String table;
    private final String name;

    private TableFault(String table, String name) {
        this.table = table;
        this.name = name;
    }

    /** Every insert or update of {@code schema.table} fails with {@code sqlState}. */
    public static TableFault everyWrite(String schema, String table, String sqlState) {
        return create(schema, table, sqlState, "TRUE");
    }

    /** Inserts and updates of {@code schema.table} whose {@code json} contains {@code marker} fail. */
    public static TableFault rowsContaining(String schema, String table, String marker, String sqlState) {
        return create(schema, table, sqlState, "NEW.json LIKE '%" + marker.replace("'", "''") + "%'");
    }

    private static TableFault create(String schema, String table, String sqlState, String condition) {
        String name = schema + ".fault_" + table;
        TestDatabase.execute("CREATE OR REPLACE FUNCTION " + name + "() RETURNS trigger AS $$ BEGIN IF " + condition
                + " THEN RAISE EXCEPTION 'injected by the test (SQLSTATE " + sqlState + ")' USING ERRCODE = '"
                + sqlState + "'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
        TestDatabase.execute("CREATE TRIGGER fault BEFORE INSERT OR UPDATE ON " + schema + "." + table
                + " FOR EACH ROW EXECUTE FUNCTION " + name + "()");
        return new TableFault(schema + "." + table, name);
    }

    @Override
    public void close() {
        TestDatabase.execute("DROP TRIGGER fault ON " + table);
        TestDatabase.execute("DROP FUNCTION " + name + "()");
    }
}
