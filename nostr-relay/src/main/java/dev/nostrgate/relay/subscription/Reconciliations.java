package dev.nostrgate.relay.subscription;

import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.message.ReasonPrefix;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.core.negentropy.BlockStorage;
import dev.nostrgate.core.negentropy.BudgetExceededException;
import dev.nostrgate.core.negentropy.NegentropyException;
import dev.nostrgate.core.negentropy.StorageBudget;
import dev.nostrgate.relay.metrics.RelayMetrics;
import dev.nostrgate.relay.store.EventStore;
import dev.nostrgate.relay.store.StoreUnavailableException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NIP-77: answers NEG-OPEN, NEG-MSG and NEG-CLOSE over the store, on the query pool like a REQ. A NEG-OPEN reads
 * the (created_at, id) of the events its filter matches, at most {@code maxItems} of them, through a cursor into
 * blocks that stay with the session until it ends; every message is then answered from those alone. All sessions
 * of the relay share one {@link StorageBudget}: blocks live in the heap while it has room, then in spill files. A
 * failure ends the session with NEG-ERR: {@code blocked:} (a limit, the budget included), {@code closed:} (no such
 * session), {@code invalid:} (a message that cannot be read), {@code error:} (the database or a full pool).
 */
public final class Reconciliations {
    private static final Logger log = LoggerFactory.getLogger(Reconciliations.class);

    private final QueryWorker worker;
    private final EventStore store;
    private final int maxSessions;
    private final int maxItems;
    private final int frameSizeLimit;
    private final StorageBudget budget;
    private final RelayMetrics metrics;

    /** {@code frameSizeLimit}: 0 for none, else at least 4096 bytes of negentropy message per NEG-MSG. */
    public Reconciliations(QueryWorker worker, EventStore store, int maxSessions, int maxItems, int frameSizeLimit,
                           StorageBudget budget, RelayMetrics metrics) {
        this.worker = worker;
        this.store = store;
        this.maxSessions = maxSessions;
        this.maxItems = maxItems;
        this.frameSizeLimit = frameSizeLimit;
        this.budget = budget;
        this.metrics = metrics;
    }

    /** NEG-OPEN: a session by an open id is replaced. */
    public void open(Subscriber client, String subscriptionId, Filter filter, String initialMessageHex) {
        NegentropySession session = new NegentropySession(subscriptionId);
        if (!client.negentropySessions().open(session, maxSessions)) {
            client.send(new RelayMessage.NegErr(subscriptionId, ReasonPrefix.BLOCKED.format(
                    "too many open negentropy sessions (at most " + maxSessions + " per connection); NEG-CLOSE one "
                            + "first")));
            return;
        }
        metrics.negentropyOpened();
        step(client, session, () -> {
            Optional<BlockStorage> items;
            try {
                items = store.negentropyItems(filter, maxItems, budget);
            } catch (BudgetExceededException e) {
                log.info("{} of {} refused: {}", session, client, e.getMessage());
                end(client, session, ReasonPrefix.BLOCKED.format("the relay holds as many reconciliations as it "
                        + "can; try again shortly"));
                return;
            }
            if (items.isEmpty()) {
                end(client, session, ReasonPrefix.BLOCKED.format("too many items: more than " + maxItems
                        + " events match this filter; narrow it (since, until, kinds, authors)"));
                return;
            }
            session.started(items.get(), frameSizeLimit);
            answer(client, session, initialMessageHex);
        });
    }

    /** NEG-MSG: the next message of an open session. */
    public void message(Subscriber client, String subscriptionId, String messageHex) {
        NegentropySession session = client.negentropySessions().get(subscriptionId);
        if (session == null) {
            client.send(new RelayMessage.NegErr(subscriptionId, ReasonPrefix.CLOSED.format(
                    "no negentropy session is open by this id; send NEG-OPEN first")));
            return;
        }
        step(client, session, () -> answer(client, session, messageHex));
    }

    /** NEG-CLOSE, or a NEG-ERR sent for a message that could not be parsed: the session ends, unanswered. */
    public void close(Subscriber client, String subscriptionId) {
        client.negentropySessions().close(subscriptionId);
    }

    private void step(Subscriber client, NegentropySession session, Runnable step) {
        session.step(() -> {
            try {
                step.run();
            } catch (StoreUnavailableException e) {
                log.debug("{} of {}: {}", session, client, e.getMessage());
                end(client, session, ReasonPrefix.ERROR.format(e.timedOut()
                        ? "reading the events took longer than the relay allows; narrow the filter"
                        : "the database is unavailable; try again shortly"));
            } catch (UncheckedIOException e) {
                log.warn("{} of {}: its spill file failed: {}", session, client, e.getMessage());
                end(client, session, ReasonPrefix.ERROR.format("the relay could not keep this reconciliation's "
                        + "items; try again shortly"));
            }
        }, worker::execute, () -> end(client, session,
                ReasonPrefix.ERROR.format("the relay is too busy to reconcile now; try again shortly")));
    }

    private void answer(Subscriber client, NegentropySession session, String messageHex) {
        String reply;
        try {
            reply = session.server().reconcileHex(messageHex);
        } catch (NegentropyException e) {
            end(client, session, ReasonPrefix.INVALID.format(e.getMessage()));
            return;
        }
        if (session.isOpen()) {
            metrics.negentropyMessage();
            client.send(new RelayMessage.NegMsg(session.subscriptionId(), reply));
        }
    }

    private void end(Subscriber client, NegentropySession session, String reason) {
        if (client.negentropySessions().end(session)) {
            log.debug("{} of {} ended: {}", session, client, reason);
            client.send(new RelayMessage.NegErr(session.subscriptionId(), reason));
        }
    }
}
