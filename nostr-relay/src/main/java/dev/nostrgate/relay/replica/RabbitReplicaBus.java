package dev.nostrgate.relay.replica;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.InvalidEventException;
import dev.nostrgate.relay.metrics.RelayMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ReplicaBus} on RabbitMQ. Every replica publishes each event it commits to one fanout exchange
 * ({@code rabbitmq.exchange}, durable), as the event's JSON with a header naming the replica; each replica reads
 * the exchange through its own exclusive, auto-deleted queue and ignores what it published itself.
 *
 * <p>Publishing happens on a thread of its own ({@code replica-publish}) from a bounded queue, so a slow or absent
 * broker never holds up the writer; when that queue is full, batches are dropped with a warning (the events are
 * stored; only other replicas' live subscribers miss them). Messages are transient and consumed without acks: the
 * bus carries live events, not data. The client library reconnects and redeclares the queue by itself after an
 * outage.
 */
public final class RabbitReplicaBus implements ReplicaBus {
    private static final Logger log = LoggerFactory.getLogger(RabbitReplicaBus.class);
    static final String ORIGIN_HEADER = "nostr-replica";
    private static final int OUTBOX_BATCHES = 10_000;

    private final String replicaId = UUID.randomUUID().toString();
    private final String exchange;
    private final Connection connection;
    private final Channel publishing;
    private final BlockingQueue<List<Event>> outbox = new ArrayBlockingQueue<>(OUTBOX_BATCHES);
    private final Thread publisher;
    private volatile boolean running = true;
    private long dropped;

    private RabbitReplicaBus(String exchange, Connection connection, Channel publishing) {
        this.exchange = exchange;
        this.connection = connection;
        this.publishing = publishing;
        this.publisher = new Thread(this::publishLoop, "replica-publish");
        this.publisher.setDaemon(true);
    }

    /**
     * Connects, declares the exchange and this replica's queue, and starts consuming.
     *
     * @param remote receives each event another replica committed, with its JSON (on a RabbitMQ thread)
     * @throws IllegalStateException if the broker cannot be reached; the message says where and what to check
     */
    public static RabbitReplicaBus connect(String uri, String exchange, BiConsumer<Event, String> remote,
                                           RelayMetrics metrics) {
        Connection connection = null;
        try {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(uri);
            factory.setAutomaticRecoveryEnabled(true);
            factory.setTopologyRecoveryEnabled(true);
            factory.setConnectionTimeout(10_000);
            connection = factory.newConnection("nostr-relay");
            Channel publishing = connection.createChannel();
            publishing.exchangeDeclare(exchange, BuiltinExchangeType.FANOUT, true);
            RabbitReplicaBus bus = new RabbitReplicaBus(exchange, connection, publishing);
            Channel consuming = connection.createChannel();
            String queue = consuming.queueDeclare("", false, true, true, null).getQueue();
            consuming.queueBind(queue, exchange, "");
            consuming.basicConsume(queue, true, bus.consumer(consuming, remote, metrics));
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

    private DefaultConsumer consumer(Channel channel, BiConsumer<Event, String> remote, RelayMetrics metrics) {
        return new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                                       byte[] body) {
                Map<String, Object> headers = properties.getHeaders();
                Object origin = headers == null ? null : headers.get(ORIGIN_HEADER);
                if (origin != null && replicaId.equals(origin.toString())) {
                    return; // our own: already delivered here
                }
                String json = new String(body, StandardCharsets.UTF_8);
                try {
                    Event event = EventJson.parse(json);
                    metrics.remoteEvent();
                    remote.accept(event, json);
                } catch (InvalidEventException e) {
                    log.warn("replica bus: unreadable event from replica {}: {}", origin, e.getMessage());
                }
            }
        };
    }

    @Override
    public void publish(List<Event> committed) {
        if (running && !outbox.offer(committed)) {
            synchronized (this) {
                if (dropped++ % 1_000 == 0) {
                    log.warn("replica bus: outbox full ({} batches); dropped {} batches so far (other replicas' live "
                            + "subscribers miss them; the events are stored)", OUTBOX_BATCHES, dropped);
                }
            }
        }
    }

    private void publishLoop() {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(1) // transient: live events, not data
                .headers(Map.of(ORIGIN_HEADER, replicaId))
                .build();
        List<List<Event>> batches = new ArrayList<>();
        while (running || !outbox.isEmpty()) {
            try {
                List<Event> first = outbox.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batches.add(first);
                outbox.drainTo(batches);
                for (List<Event> batch : batches) {
                    for (Event event : batch) {
                        publishing.basicPublish(exchange, "", properties,
                                EventJson.write(event).getBytes(StandardCharsets.UTF_8));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                log.warn("replica bus: publishing failed ({}); {} batches not sent", e.toString(), batches.size());
            } finally {
                batches.clear();
            }
        }
    }

    @Override
    public Optional<String> problem() {
        return connection.isOpen() ? Optional.empty() : Optional.of("RabbitMQ connection is down (reconnecting)");
    }

    /** Publishes what is queued (briefly), then disconnects. */
    @Override
    public void close() {
        running = false;
        try {
            publisher.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close(2_000);
        } catch (IOException | RuntimeException e) {
            log.debug("replica bus: closing: {}", e.toString());
        }
    }
}
