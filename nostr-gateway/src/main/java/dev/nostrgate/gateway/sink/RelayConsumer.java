package dev.nostrgate.gateway.sink;

import com.rabbitmq.client.Channel;
import dev.nostrgate.core.Backoff;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * One relay's consumer: the broker pushes its queue's messages (a {@link DirectMessageListenerContainer}, one
 * channel), they gather here, and each batch goes to the {@link RelaySink} when it is full or {@code maxDelay} after
 * its first message arrived. Batches are stored one after the other, in queue order, on a virtual thread that
 * exists only while there is something to store; the delay is a timer on a shared scheduler, armed only while a
 * batch is open. So a relay with nothing to store costs nothing but its channel (and the container's check of it,
 * every few seconds).
 *
 * <p>Why not Spring AMQP's {@code SimpleMessageListenerContainer}, which batches by itself: its consumer thread
 * polls, waking every {@code receiveTimeout} with or without messages; at 1,000 relays and 50 ms that is 20,000
 * wake-ups a second of an idle gateway. A longer {@code receiveTimeout} does not help: in 3.2 the batch's timeout is
 * checked only between two receives ({@code doReceiveAndExecute}), so a lone message would wait the whole receive
 * timeout for a second one. The direct container pushes, but batching is a {@code SimpleMessageListenerContainer}
 * feature only (3.2 has no {@code consumerBatchEnabled} for it): this class is that batching, and what RelaySink
 * relies on holds as before:
 *
 * <ul>
 *   <li>Acknowledged after the commit only: the sink acknowledges (multiple, up to its batch's last tag) once it
 *       has stored the batch. A batch goes to the sink only after the previous one returned, so such an ack never
 *       covers a message of a later batch, and the sink's nack, redelivery and dead-letter paths work unchanged.</li>
 *   <li>Memory: the broker sends at most the prefetch (2 × the batch size) unacknowledged messages, and everything
 *       here is unacknowledged: what waits and what is being stored stay within it.</li>
 *   <li>A channel that closes (a broker cut, a restart) has its unacknowledged messages queued again by the
 *       broker, which delivers them anew on the next channel: those still waiting here are dropped, not stored
 *       (their ack could not be sent anyway).</li>
 *   <li>{@link #stop()}: what waits here is stored first, then the consumer is cancelled. A message delivered
 *       between the two is stored before its delivery returns, so before the AMQP client handles the cancel (which
 *       closes the channel): a removal that waited for its queue to drain loses none of its last messages with the
 *       queue. Both waits are bounded by {@link #CLOSE_WAIT}; what is not stored by then goes back to the queue.</li>
 *   <li>A batch the sink lets an exception or an Error out of (RelaySink handles its own failures, so a bug, or out
 *       of memory) is held for a backoff (see {@link RelayConsumers#FAILURE_BACKOFF}), then given back to the queue
 *       alone: never acknowledged unstored, and no hot loop of redeliveries while the cause lasts (a classic queue
 *       has no delivery limit). Nothing of the relay is stored during the hold; afterwards what arrived meanwhile is
 *       stored while the failed batch comes back behind it (an order the sink's set-aside messages already break,
 *       at no loss: the cursor only says what a restart asks for again). What arrived after it is not given back
 *       with it: on a quorum queue each give-back counts a delivery, and those messages would go to
 *       {@code nostr.dead} with it, never having failed. The backoff grows with each failure in a row; only a
 *       batch holding a redelivered message that goes through ends the row, not the others stored between. A stop
 *       gives the held batch back at once and goes on as any stop (a removal's drain gets its chance to store it);
 *       a batch that fails during a stop ends the stores: it and whatever came after it stay unacknowledged (an
 *       ack of a later batch, multiple, would cover it) until the channel closes.</li>
 * </ul>
 */
public final class RelayConsumer implements ChannelAwareMessageListener {
    private static final Logger log = LoggerFactory.getLogger(RelayConsumer.class);
    /** How long a stop waits for what is here to be stored, and the container for its consumer to finish. */
    public static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final UUID relayId;
    private final ChannelAwareBatchMessageListener sink;
    private final int batchSize;
    private final long maxDelayNanos;
    private final ScheduledExecutorService timers;
    private final Executor workers;
    private final DirectMessageListenerContainer container;
    private final Backoff failureBackoff;

    // guarded by this
    private final ArrayDeque<Delivery> waiting = new ArrayDeque<>();
    private ScheduledFuture<?> timer;
    private long timerDue;
    private boolean storing;
    private boolean closing;
    /** A batch that failed outside the sink's handling, held until its backoff ends (or a stop). */
    private Batch held;
    private ScheduledFuture<?> heldTimer;
    /** Batches in a row that failed outside the sink's handling; 0 after one the sink got through. */
    private int failuresInARow;
    /** A batch failed during a stop: nothing more is stored or acknowledged here. */
    private boolean abandoned;

    /** A message as delivered: it can only be acknowledged on the channel it came on. */
    private record Delivery(Message message, Channel channel, long arrivedNanos) {
    }

    /** The messages of one batch, all from one channel. */
    private record Batch(List<Message> messages, Channel channel) {
    }

    /**
     * @param container not started, with no listener yet: this becomes its listener
     * @param timers closes batches at their delay; its tasks never block
     * @param workers runs the stores, a thread each while they last (virtual threads)
     * @param failureBackoff how long a batch that failed outside the sink's handling is held before it goes back
     */
    RelayConsumer(UUID relayId, ChannelAwareBatchMessageListener sink, int batchSize, Duration maxDelay,
                  DirectMessageListenerContainer container, ScheduledExecutorService timers, Executor workers,
                  Backoff failureBackoff) {
        if (batchSize < 1 || maxDelay.isNegative()) {
            throw new IllegalArgumentException("a batch holds 1 or more messages and waits 0 or more ms; got "
                    + batchSize + " and " + maxDelay);
        }
        this.relayId = relayId;
        this.sink = sink;
        this.batchSize = batchSize;
        this.maxDelayNanos = maxDelay.toNanos();
        this.timers = timers;
        this.workers = workers;
        this.container = container;
        this.failureBackoff = failureBackoff;
        container.setMessageListener(this);
    }

    public void start() {
        container.start();
    }

    /**
     * Stores what waits (at most {@link #CLOSE_WAIT}; a batch held after a failure is given back first), then
     * cancels the consumer and closes its channel (the container waits up to {@link #CLOSE_WAIT} too); whatever is
     * unacknowledged then is back in the queue.
     */
    public void stop() {
        synchronized (this) {
            closing = true;
            cancelTimer();
            if (held != null) {
                giveBackHeld(); // now, not at the end of its backoff: a worker gives it back and stores what comes
            } else if (!storing && !waiting.isEmpty()) {
                startStoring();
            }
            awaitStored();
        }
        container.stop();
        synchronized (this) {
            if (!waiting.isEmpty()) {
                log.warn("relay {}: {} messages not stored within {} ms of the stop are back in the queue", relayId,
                        waiting.size(), CLOSE_WAIT.toMillis());
                waiting.clear();
            }
        }
    }

    /** On the AMQP client's delivery thread: queues the message here and returns, unless stopping. */
    @Override
    public void onMessage(Message message, Channel channel) {
        Delivery delivery = new Delivery(message, channel, System.nanoTime());
        synchronized (this) {
            if (abandoned) {
                return; // left unacknowledged: the broker has it again when the stop closes the channel
            }
            waiting.add(delivery);
            if (storing) {
                if (closing) {
                    awaitStored();
                }
                return; // the store in progress takes it next, or arms the timer for it
            }
            if (closing || waiting.size() >= batchSize) {
                startStoring();
                if (closing) {
                    awaitStored(); // keeps the client from handling the cancel, which closes the channel
                }
            } else {
                armTimer();
            }
        }
    }

    /** Holds the lock. */
    private void startStoring() {
        storing = true;
        cancelTimer();
        workers.execute(this::storeClosedBatches);
    }

    /** On a worker: stores batch after batch while one is closed (full, due, or stopping), then leaves. */
    private void storeClosedBatches() {
        while (true) {
            Batch batch;
            synchronized (this) {
                batch = nextClosedBatch();
                if (batch == null) {
                    storing = false;
                    notifyAll(); // first: arming the timer throws once the consumers are closed
                    if (!waiting.isEmpty()) {
                        armTimer();
                    }
                    return;
                }
            }
            try {
                sink.onMessageBatch(batch.messages(), batch.channel());
            } catch (RuntimeException | Error e) {
                // RelaySink handles its own failures; this is a bug, or an Error such as out of memory. Left
                // unacknowledged, the batch would be acknowledged, unstored, by the next batch's multiple ack: it
                // goes back to the queue instead (a quorum queue dead-letters it past its delivery limit), after a
                // backoff: given back at once, it would come straight back and fail again, as fast as the broker
                // delivers. Caught and logged, not let out: a worker that died here would leave this consumer
                // "storing" for good.
                if (hold(batch, e)) {
                    return; // the hold's end gives the batch back and goes on, on a worker of its own
                }
                requeue(batch); // no timer to be had: back at once, as a last resort
                continue;
            }
            if (batch.messages().stream().anyMatch(message -> message.getMessageProperties().isRedelivered())) {
                synchronized (this) {
                    failuresInARow = 0; // a batch given back (or a channel's, after a cut) went through
                }
            }
        }
    }

    /**
     * Holds a batch that failed outside the sink's handling for its backoff, this consumer still "storing"
     * (nothing else is taken meanwhile), or, when stopping, ends the stores ({@link #abandon}). False if it could
     * not be held (no timer could be scheduled).
     */
    private boolean hold(Batch batch, Throwable failure) {
        Duration pause;
        int inARow;
        boolean stopping;
        boolean holding = false;
        synchronized (this) {
            inARow = ++failuresInARow;
            pause = failureBackoff.delay(inARow - 1, ThreadLocalRandom.current());
            stopping = closing;
            if (stopping) {
                abandon();
            } else {
                try {
                    heldTimer = timers.schedule(this::giveBackHeld, pause.toNanos(), TimeUnit.NANOSECONDS);
                    held = batch;
                    holding = true;
                } catch (RuntimeException | Error e) {
                    failure.addSuppressed(e);
                    pause = Duration.ZERO;
                }
            }
        }
        // logged once the state is consistent, and outside the lock, which the delivery and timer threads need
        log.error("relay {}: a batch of {} messages failed outside the sink's handling ({} in a row); {}", relayId,
                batch.messages().size(), inARow, stopping ? "stopping: it goes back when the channel closes"
                        : "back to the queue in " + pause.toMillis() + " ms", failure);
        return stopping || holding;
    }

    /**
     * At the hold's end (on the timers' thread) or on a stop (holding the lock): a worker gives the held batch back
     * and goes on storing. If no worker can be had (out of memory for a thread, say), this consumer stores nothing
     * more ({@link #abandon}): its messages go back to the queue when its channel closes.
     */
    private synchronized void giveBackHeld() {
        Batch batch = held;
        if (batch == null) {
            return; // given back already
        }
        held = null;
        if (heldTimer != null) {
            heldTimer.cancel(false);
            heldTimer = null;
        }
        try {
            workers.execute(() -> {
                requeue(batch);
                storeClosedBatches();
            });
        } catch (RuntimeException | Error e) {
            log.error("relay {}: giving a held batch back failed ({}); this consumer stores nothing more until the "
                    + "relay is started again", relayId, e.toString());
            abandon();
        }
    }

    /** A batch is held after a failure, waiting for its backoff to end. */
    synchronized boolean holding() {
        return held != null;
    }

    /**
     * Holds the lock; a batch failed during a stop, or could not be given back. Stores and acknowledges nothing
     * more: an ack (multiple) of a later batch would acknowledge the failed one unstored. What this channel holds
     * goes back when it closes.
     */
    private void abandon() {
        abandoned = true;
        waiting.clear();
        storing = false;
        notifyAll();
    }

    private static long tag(Message message) {
        return message.getMessageProperties().getDeliveryTag();
    }

    private void requeue(Batch batch) {
        List<Message> messages = batch.messages();
        Redelivery.requeueUpTo(batch.channel(), tag(messages.get(messages.size() - 1)), relayId);
    }

    /** Holds the lock. The next batch if one is closed, taken from what waits; null if none is. */
    private Batch nextClosedBatch() {
        int dropped = 0;
        while (!waiting.isEmpty() && !waiting.peek().channel().isOpen()) {
            waiting.poll(); // the broker has it again, and delivers it on the next channel
            dropped++;
        }
        if (dropped > 0) {
            log.debug("relay {}: {} messages of a closed channel dropped; the broker delivers them again", relayId,
                    dropped);
        }
        Delivery first = waiting.peek();
        if (first == null || !(closing || waiting.size() >= batchSize
                || System.nanoTime() - first.arrivedNanos() >= maxDelayNanos)) {
            return null;
        }
        List<Message> messages = new ArrayList<>(Math.min(batchSize, waiting.size()));
        while (messages.size() < batchSize && !waiting.isEmpty() && waiting.peek().channel() == first.channel()) {
            messages.add(waiting.poll().message());
        }
        return new Batch(messages, first.channel());
    }

    /** Holds the lock; something waits. Arms a timer for the first message's delay, unless one is armed. */
    private void armTimer() {
        if (timer != null) {
            return;
        }
        long due = waiting.peek().arrivedNanos() + maxDelayNanos;
        timerDue = due;
        timer = timers.schedule(() -> timerFired(due), Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private synchronized void timerFired(long due) {
        if (timer == null || due != timerDue) {
            return; // cancelled while it fired: a store took the batch, and a later timer may be armed
        }
        timer = null;
        if (!storing) {
            startStoring();
        }
    }

    /** Holds the lock. */
    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Holds the lock: waits until nothing is being stored, at most {@link #CLOSE_WAIT}. */
    private void awaitStored() {
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        try {
            for (long left = CLOSE_WAIT.toNanos(); storing && left > 0; left = deadline - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
