package dev.nostrgate.relay.subscription;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A connection's open NIP-77 sessions by subscription id, at most a configured number of them. Safe from any
 * thread: the ingest lane opens and closes sessions, the query pool ends one that failed.
 */
public final class NegentropySessions {
    private final Map<String, NegentropySession> open = new ConcurrentHashMap<>();

    /**
     * Opens {@code session}, replacing (and closing) one with the same id; false if {@code max} are open already
     * and none has that id.
     */
    synchronized boolean open(NegentropySession session, int max) {
        if (!open.containsKey(session.subscriptionId()) && open.size() >= max) {
            return false;
        }
        NegentropySession replaced = open.put(session.subscriptionId(), session);
        if (replaced != null) {
            replaced.close();
        }
        return true;
    }

    NegentropySession get(String subscriptionId) {
        return open.get(subscriptionId);
    }

    /** Closes the session by that id, if one is open. */
    void close(String subscriptionId) {
        NegentropySession session = open.remove(subscriptionId);
        if (session != null) {
            session.close();
        }
    }

    /** Closes {@code session} if it is still the one open by its id; true if it was. */
    boolean end(NegentropySession session) {
        session.close();
        return open.remove(session.subscriptionId(), session);
    }

    /** The client is gone. */
    public void closeAll() {
        open.values().forEach(NegentropySession::close);
        open.clear();
    }
}
