package dev.nostrgate.gateway.sink;

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
    private final ConnectionFactory connections;
    private final int batchSize;
    private final Duration maxDelay;
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
        this.connections = connections;
        this.batchSize = batchSize;
        this.maxDelay = maxDelay;
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
        return new RelayConsumer(relayId, sink, batchSize, maxDelay, container, timers, workers);
    }

    @Override
    public void close() {
        timers.shutdownNow();
        monitor.shutdown();
    }
}
