package dev.nostrgate.gateway.sink;

import dev.nostrgate.core.Backoff;
import dev.nostrgate.gateway.topology.RelayTopology;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Makes every relay's {@link RelayConsumer}, and holds what they share, so that a thousand relays cost no thread
 * each: one connection (a channel per relay, its deliveries on the AMQP client's few delivery threads), one timer
 * thread for the batches' delays ({@code consumer-timers}), one thread for the containers' checks and consumer
 * restarts ({@code consumer-monitor}, which may wait on the broker, so apart from the timers), and virtual threads
 * ({@code relay-consumer-#}) for the stores, which wait on JDBC.
 */
public final class RelayConsumers implements AutoCloseable {
    /**
     * How long a batch that failed outside the sink's handling waits before it goes back to its queue: 1 s,
     * doubling to a minute, each jittered to between half and all of it. Long enough that a failure that lasts
     * costs no CPU worth counting; short enough that one that passed (memory freed) delays the relay's events by no
     * more than that.
     */
    public static final Backoff FAILURE_BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

    private final ConnectionFactory connections;
    private final int batchSize;
    private final Duration maxDelay;
    private final Backoff failureBackoff;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "consumer-timers");
        thread.setDaemon(true);
        return thread;
    });
    private final ThreadPoolTaskScheduler monitor = new ThreadPoolTaskScheduler();
    private final SimpleAsyncTaskExecutor workers = new SimpleAsyncTaskExecutor("relay-consumer-");

    /**
     * @param batchSize messages per batch at most; each consumer prefetches twice as many
     * @param maxDelay how long a batch waits for more after its first message
     */
    public RelayConsumers(ConnectionFactory connections, int batchSize, Duration maxDelay) {
        this(connections, batchSize, maxDelay, FAILURE_BACKOFF);
    }

    /** @param failureBackoff how long a batch that failed outside the sink's handling waits to go back */
    public RelayConsumers(ConnectionFactory connections, int batchSize, Duration maxDelay, Backoff failureBackoff) {
        this.connections = connections;
        this.batchSize = batchSize;
        this.maxDelay = maxDelay;
        this.failureBackoff = failureBackoff;
        monitor.setThreadNamePrefix("consumer-monitor");
        monitor.setDaemon(true);
        monitor.initialize();
        workers.setVirtualThreads(true);
    }

    /** A consumer of the relay's queue that hands batches to {@code sink}; not started yet. */
    public RelayConsumer create(UUID relayId, ChannelAwareBatchMessageListener sink) {
        DirectMessageListenerContainer container = new DirectMessageListenerContainer(connections);
        container.setQueueNames(RelayTopology.queue(relayId));
        container.setConsumersPerQueue(1);
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL); // the sink acknowledges after the commit
        // counted in messages, each a batch of up to batchMaxEvents events: the prefetch bounds what a consumer holds
        // to 2 x sinkBatchSize x batchMaxBytes
        container.setPrefetchCount(batchSize * 2);
        container.setTaskScheduler(monitor);
        container.setTaskExecutor(workers); // starts the consumer off the caller's thread
        container.setShutdownTimeout(RelayConsumer.CLOSE_WAIT.toMillis());
        return new RelayConsumer(relayId, sink, batchSize, maxDelay, container, timers, workers,
                failureBackoff);
    }

    @Override
    public void close() {
        timers.shutdownNow();
        monitor.shutdown();
    }
}
