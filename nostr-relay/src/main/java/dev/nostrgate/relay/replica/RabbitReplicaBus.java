package dev.nostrgate.relay.replica;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.nostrgate.core.Backoff;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.InvalidEventException;
import dev.nostrgate.relay.metrics.RelayMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ReplicaBus} on RabbitMQ. Every replica publishes each batch it commits to one fanout exchange
 * ({@code rabbitmq.exchange}, durable) as one message: the events' JSON, one per line (a message of one event is
 * the event's JSON, as earlier versions sent it), with headers naming the replica and numbering its messages
 * 1, 2, 3, ...; while idle, a message without events every second gives the last number sent (see
 * {@link SequenceGaps}). Each replica reads the exchange through a queue of its own and ignores what it published
 * itself. That queue outlives a lost connection by {@value #QUEUE_EXPIRES_MILLIS} ms ({@code x-expires}), so what
 * arrives for a replica while it reconnects waits for it; it holds {@value #QUEUE_MAX_MESSAGES} messages at most,
 * the oldest dropped first, and is deleted when the replica stops. One message per batch, not per event: the
 * broker's cost is per message.
 *
 * <p>Publishing happens on a thread of its own ({@code replica-publish}) from a bounded queue, so a slow or absent
 * broker never holds up the writer. While the broker is unreachable, that thread retries the message at hand until
 * the client library has reconnected; what cannot wait (the queue is full) is dropped with a warning. Messages are
 * transient and consumed without acks: the bus carries live events, not data (they are stored). What never arrived
 * (dropped here, lost in an outage, or published while this replica's queue was gone or full) shows as a gap in the
 * sender's numbering: it is counted ({@code nostr_relay_replica_missed_messages_total}) and logged, not silent.
 */
public final class RabbitReplicaBus implements ReplicaBus {
    private static final Logger log = LoggerFactory.getLogger(RabbitReplicaBus.class);
    static final String ORIGIN_HEADER = "nostr-replica";
    static final String SEQUENCE_HEADER = "nostr-replica-seq";
    static final String CONTENT_TYPE = "application/x-nostr-events+jsonl";
    private static final int OUTBOX_BATCHES = 10_000;
    private static final Backoff RETRY_BACKOFF = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2));
    private static final long HEARTBEAT_MILLIS = 1_000;
    private static final int QUEUE_EXPIRES_MILLIS = 60_000;
    private static final int QUEUE_MAX_MESSAGES = 100_000;

    private record Outgoing(long sequence, List<Event> events) {
    }

    private final String replicaId;
    private final String exchange;
    private final String queue;
    private final Connection connection;
    private final Channel publishing;
    private final BlockingQueue<Outgoing> outbox = new ArrayBlockingQueue<>(OUTBOX_BATCHES);
    private final Thread publisher;
    private volatile boolean running = true;
    /** The broker has blocked publishing (a memory or disk alarm): a publish would block the thread until it lifts. */
    private volatile boolean blocked;
    private long sequence; // guarded by this: numbers are taken in the order batches enter the outbox
    private long dropped;

    private RabbitReplicaBus(String replicaId, String exchange, Connection connection, Channel publishing) {
        this.replicaId = replicaId;
        this.exchange = exchange;
        this.queue = exchange + ".replica." + replicaId;
        this.connection = connection;
        this.publishing = publishing;
        this.publisher = new Thread(this::publishLoop, "replica-publish");
        this.publisher.setDaemon(true);
    }

    /**
     * Connects, declares the exchange and this replica's queue, and starts consuming.
     *
     * @param remote receives each batch another replica committed, with each event's JSON (on a RabbitMQ thread)
     * @throws IllegalStateException if the broker cannot be reached; the message says where and what to check
     */
    public static RabbitReplicaBus connect(String uri, String exchange, BiConsumer<List<Event>, List<String>> remote,
                                           RelayMetrics metrics) {
        Connection connection = null;
        try {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(uri);
            factory.setAutomaticRecoveryEnabled(true);
            factory.setTopologyRecoveryEnabled(true);
            factory.setConnectionTimeout(10_000);
            factory.setNetworkRecoveryInterval(1_000); // live events wait for it: retry every second, not every 5
            String replicaId = UUID.randomUUID().toString();
            // As the broker lists it: an operator (or a test) can tell the replicas of one exchange apart.
            connection = factory.newConnection("nostr-relay replica " + replicaId + " (" + exchange + ")");
            Channel publishing = connection.createChannel();
            publishing.exchangeDeclare(exchange, BuiltinExchangeType.FANOUT, true);
            RabbitReplicaBus bus = new RabbitReplicaBus(replicaId, exchange, connection, publishing);
            Channel consuming = connection.createChannel();
            // Not exclusive: an exclusive queue goes with its connection, and what arrived during a reconnect with it.
            // Durable, since RabbitMQ 4 refuses transient non-exclusive queues; the messages stay transient.
            consuming.queueDeclare(bus.queue, true, false, false,
                    Map.of("x-expires", QUEUE_EXPIRES_MILLIS, "x-max-length", QUEUE_MAX_MESSAGES));
            connection.addBlockedListener(reason -> bus.blocked = true, () -> bus.blocked = false);
            consuming.queueBind(bus.queue, exchange, "");
            consuming.basicConsume(bus.queue, true, bus.consumer(consuming, remote, metrics));
            bus.publisher.start();
            log.info("replica {}: publishing to and consuming from RabbitMQ exchange {}", bus.replicaId, exchange);
            return bus;
        } catch (Exception e) {
            if (connection != null) {
                try {
                    connection.abort();
                } catch (RuntimeException ignored) {
                    // already failing
                }
            }
            throw new IllegalStateException("cannot use RabbitMQ at " + uri.replaceAll("//[^@/]*@", "//***@") + ": "
                    + e.getMessage() + " (check rabbitmq.url / NOSTR_RELAY_RABBITMQ_URL, the credentials, and that "
                    + "the broker runs)", e);
        }
    }

    /** This replica's id, carried in the header of what it publishes. */
    public String replicaId() {
        return replicaId;
    }

    private DefaultConsumer consumer(Channel channel, BiConsumer<List<Event>, List<String>> remote,
                                     RelayMetrics metrics) {
        SequenceGaps gaps = new SequenceGaps();
        return new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                                       byte[] body) {
                Map<String, Object> headers = properties.getHeaders();
                Object origin = headers == null ? null : headers.get(ORIGIN_HEADER);
                if (origin != null && replicaId.equals(origin.toString())) {
                    return; // our own: already delivered here
                }
                Object number = headers == null ? null : headers.get(SEQUENCE_HEADER);
                if (origin != null && number instanceof Number sequence) {
                    long missed = body.length == 0 ? gaps.lastSent(origin.toString(), sequence.longValue())
                            : gaps.arrived(origin.toString(), sequence.longValue());
                    if (missed < 0) {
                        return; // had it already
                    }
                    if (missed > 0) {
                        metrics.replicaMessagesMissed(missed);
                        log.warn("replica bus: {} messages of replica {} never arrived (an outage, a full outbox or "
                                + "queue): their events are stored, but live subscribers here did not see them",
                                missed, origin);
                    }
                }
                if (body.length == 0) {
                    return; // a heartbeat
                }
                List<Event> events = new ArrayList<>();
                List<String> lines = new ArrayList<>();
                for (String json : new String(body, StandardCharsets.UTF_8).split("\n")) {
                    try {
                        events.add(EventJson.parse(json));
                        lines.add(json);
                    } catch (InvalidEventException e) {
                        log.warn("replica bus: unreadable event from replica {}: {}", origin, e.getMessage());
                    }
                }
                if (!events.isEmpty()) {
                    metrics.remoteEvents(events.size());
                    remote.accept(events, lines);
                }
            }
        };
    }

    @Override
    public void publish(List<Event> committed) {
        if (!running) {
            return;
        }
        synchronized (this) {
            // A dropped batch still takes its number, so that the others see the gap.
            if (!outbox.offer(new Outgoing(++sequence, committed)) && dropped++ % 1_000 == 0) {
                log.warn("replica bus: outbox full ({} batches); dropped {} batches so far (other replicas' live "
                        + "subscribers miss them; the events are stored)", OUTBOX_BATCHES, dropped);
            }
        }
    }

    private void publishLoop() {
        long lastTaken = 0;
        long idleSince = System.nanoTime();
        while (running || !outbox.isEmpty()) {
            try {
                Outgoing next = outbox.poll(100, TimeUnit.MILLISECONDS);
                if (next != null) {
                    lastTaken = next.sequence();
                    publishUntilSent(next);
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince > TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MILLIS)) {
                    publishUntilSent(new Outgoing(lastTaken, List.of()));
                    idleSince = System.nanoTime();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Retries through a broker outage (the client reconnects by itself) until sent, or until the bus closes. */
    private void publishUntilSent(Outgoing message) throws InterruptedException {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType(CONTENT_TYPE)
                .deliveryMode(1) // transient: live events, not data
                .headers(Map.of(ORIGIN_HEADER, replicaId, SEQUENCE_HEADER, message.sequence()))
                .build();
        byte[] body = body(message.events());
        for (int attempt = 1; ; attempt++) {
            try {
                if (blocked) {
                    throw new IOException("RabbitMQ blocks publishing (a resource alarm)");
                }
                publishing.basicPublish(exchange, "", properties, body);
                if (attempt > 1) {
                    log.info("replica bus: publishing again after {} attempts", attempt);
                }
                return;
            } catch (IOException | RuntimeException e) {
                if (!running) {
                    int left = outbox.size();
                    outbox.clear();
                    log.warn("replica bus: closing with {} batches unsent ({})", left + 1, e.toString());
                    return;
                }
                if (attempt == 1) {
                    log.warn("replica bus: publishing failed ({}); retrying until RabbitMQ is back ({} batches "
                            + "waiting)", e.toString(), outbox.size());
                }
                TimeUnit.MILLISECONDS.sleep(RETRY_BACKOFF.delay(attempt - 1, ThreadLocalRandom.current()).toMillis());
            }
        }
    }

    /**
     * The events' JSON, one per line: JSON text has no raw line breaks (they are escaped in strings). No events, no
     * bytes: a heartbeat.
     */
    static byte[] body(List<Event> events) {
        StringBuilder lines = new StringBuilder(events.size() * 600);
        for (Event event : events) {
            if (!lines.isEmpty()) {
                lines.append('\n');
            }
            EventJson.appendTo(lines, event);
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Optional<String> problem() {
        return connection.isOpen() ? Optional.empty() : Optional.of("RabbitMQ connection is down (reconnecting)");
    }

    /**
     * Publishes what is queued (briefly), deletes this replica's queue, and disconnects. With the broker gone or
     * blocking, the queue is left to expire ({@code x-expires}) rather than waited for.
     */
    @Override
    public void close() {
        running = false;
        try {
            publisher.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!publisher.isAlive() && !blocked && connection.isOpen()) {
            try {
                publishing.queueDelete(queue);
            } catch (IOException | RuntimeException e) {
                log.debug("replica bus: deleting {}: {}", queue, e.toString());
            }
        }
        connection.abort(2_000); // also ends the client's reconnecting, whatever state it is in
    }
}
