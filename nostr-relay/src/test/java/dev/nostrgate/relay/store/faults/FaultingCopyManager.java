package dev.nostrgate.relay.store.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.sql.SQLException;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;
import org.postgresql.util.ByteStreamWriter;

/**
 * The copy API of a {@link FaultingConnection}: each whole {@code COPY ... FROM STDIN} is one operation that the
 * schedule may fail, like a statement. The streaming {@code copyIn(String)} and the {@code copyOut} reads are not
 * faulted.
 */
final class FaultingCopyManager extends CopyManager {
    private final FaultingConnection connection;

    FaultingCopyManager(BaseConnection real, FaultingConnection connection) throws SQLException {
        super(real);
        this.connection = connection;
    }

    /** One whole COPY, faulted like a statement (it commits on its own in autocommit). */
    private long faulted(FaultingConnection.Operation<Long> copy) throws SQLException, IOException {
        return connection.faulted(connection.commitsEachStatement(), copy);
    }

    @Override
    public long copyIn(String sql, Reader from) throws SQLException, IOException {
        return faulted(() -> super.copyIn(sql, from));
    }

    @Override
    public long copyIn(String sql, Reader from, int bufferSize) throws SQLException, IOException {
        return faulted(() -> super.copyIn(sql, from, bufferSize));
    }

    @Override
    public long copyIn(String sql, InputStream from) throws SQLException, IOException {
        return faulted(() -> super.copyIn(sql, from));
    }

    @Override
    public long copyIn(String sql, InputStream from, int bufferSize) throws SQLException, IOException {
        return faulted(() -> super.copyIn(sql, from, bufferSize));
    }

    @Override
    public long copyIn(String sql, ByteStreamWriter from) throws SQLException, IOException {
        return faulted(() -> super.copyIn(sql, from));
    }
}
