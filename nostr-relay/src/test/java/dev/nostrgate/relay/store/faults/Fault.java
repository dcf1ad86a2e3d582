package dev.nostrgate.relay.store.faults;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The errors CockroachDB returns that PostgreSQL rarely or never does, as the fault layer injects them.
 *
 * <p>A fault before the operation is raised by the server itself ({@code RAISE} in a {@code DO} block on the real
 * connection) instead of running the operation: inside a transaction PostgreSQL then aborts the transaction, as
 * CockroachDB does, so code that carries on without rolling back fails here too. A fault after the operation is
 * thrown by the client once the operation really happened: a commit that succeeded but reports 40003 is exactly
 * the case a retry must treat as "maybe done".
 */
public enum Fault {
    /** 40001: the transaction must be retried from the start; nothing of it happened. */
    SERIALIZATION_FAILURE("40001", "restart transaction: TransactionRetryWithProtoRefreshError: TransactionRetryError:"
            + " retry txn (RETRY_SERIALIZABLE - failed preemptive refresh)", false),
    /** 40003 where the operation did not happen. */
    AMBIGUOUS_BEFORE("40003", "result is ambiguous: error=rpc error: code = Unavailable desc = transport is closing"
            + " (injected before the operation: it did not happen)", false),
    /** 40003 where the operation did happen (the commit or the autocommit statement took effect). */
    AMBIGUOUS_AFTER("40003", "result is ambiguous: error=rpc error: code = Unavailable desc = transport is closing"
            + " (injected after the operation: it happened)", true);

    private final String sqlState;
    private final String message;
    private final boolean afterOperation;

    Fault(String sqlState, String message, boolean afterOperation) {
        this.sqlState = sqlState;
        this.message = message;
        this.afterOperation = afterOperation;
    }

    public String sqlState() {
        return sqlState;
    }

    /** Whether the operation runs (and takes effect) before the error is thrown. */
    public boolean afterOperation() {
        return afterOperation;
    }

    /** The error the server raises on {@code real} (before faults: instead of the operation). */
    SQLException raiseOnServer(Connection real, String name) {
        try (Statement statement = real.createStatement()) {
            statement.execute("DO $$BEGIN RAISE EXCEPTION USING ERRCODE = '" + sqlState + "', MESSAGE = '"
                    + messageFor(name) + "'; END$$");
        } catch (SQLException raised) {
            return raised;
        }
        throw new IllegalStateException("the server did not raise the injected " + this);
    }

    /** The error as the client reports it (after faults: once the operation happened). */
    SQLException thrownByClient(String name) {
        return new PSQLException(new ServerErrorMessage("SERROR\0C" + sqlState + "\0M" + messageFor(name) + "\0"));
    }

    private String messageFor(String name) {
        return message + " [faults.name=" + name + "]";
    }
}
