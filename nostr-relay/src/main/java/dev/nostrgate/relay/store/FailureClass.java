package dev.nostrgate.relay.store;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * What a failure says about trying again: the one place that reads SQLSTATEs for that. Every retry of the relay and
 * the gateway asks it, so that an error that can never succeed is never retried (it would jam a writer lane or a
 * relay's queue for good) and an outage is never given up on too soon.
 *
 * <p>The classes follow PostgreSQL's and CockroachDB's documented codes: CockroachDB answers every transaction it
 * must restart with 40001 (and PostgreSQL does under SERIALIZABLE), a node draining or restarting with 57P01 or 08xxx,
 * and a commit whose outcome it cannot know with 40003.
 */
public enum FailureClass {
    /**
     * Worth trying again as it is: connection lost or refused (08), serialization failure (40001), deadlock
     * (40P01), lock not available (55P03), out of resources (53), the server shutting down or starting (57P01-03),
     * system or I/O error (58000, 58030), and failures that carry no SQLSTATE but an I/O cause or timeout.
     */
    TRANSIENT,
    /**
     * 40003, "statement completion unknown": the transaction may or may not have committed. Look at what is stored
     * before answering or trying again.
     */
    AMBIGUOUS,
    /**
     * The same call fails again whatever the wait: bad data (22), a constraint (23), syntax or access (42), a
     * feature not supported (0A), and everything else, including our own bugs.
     */
    PERMANENT;

    /**
     * The class of a failure: from the first SQLSTATE found along its causes, else from the kind of exceptions in
     * them (an I/O error or a timeout is transient); anything else is permanent.
     */
    public static FailureClass of(Throwable failure) {
        Optional<String> state = sqlState(failure);
        if (state.isPresent()) {
            return ofSqlState(state.get());
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException
                    || cause instanceof IOException || cause instanceof TimeoutException) {
                return TRANSIENT;
            }
        }
        return PERMANENT;
    }

    /** The first SQLSTATE along the failure's causes, if any. */
    public static Optional<String> sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && !sql.getSQLState().isBlank()) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }

    /** The class of an SQLSTATE (five characters; classes by their first two). */
    public static FailureClass ofSqlState(String state) {
        if (state.equals("40003")) {
            return AMBIGUOUS;
        }
        if (state.equals("40001") || state.equals("40P01") || state.equals("55P03")
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || state.equals("58000") || state.equals("58030")) {
            return TRANSIENT;
        }
        return switch (state.length() >= 2 ? state.substring(0, 2) : state) {
            case "08", "53" -> TRANSIENT;
            default -> PERMANENT;
        };
    }
}
