package dev.nostrgate.gateway.connector;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.topology.QueueSettings;
import dev.nostrgate.gateway.topology.RelayTopology;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/** The publisher alone on the real RabbitMQ: a permit comes back only with a confirm of a message a queue took. */
@Timeout(60)
class ConfirmedPublisherIT {
    private final CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", 5672);
    private final RabbitAdmin admin = new RabbitAdmin(connections);
    private final RelayTopology topology = new RelayTopology(admin, new QueueSettings(QueueSettings.Type.QUORUM, 20));
    private final RabbitTemplate rabbit = new RabbitTemplate(connections);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final RegisteredRelay relay = new RegisteredRelay(UUID.randomUUID(), URI.create("ws://127.0.0.1:1"),
            "upstream", List.of(Filter.ALL), false, OptionalLong.empty(), Instant.now());
    private final InFlightPermits permits = new InFlightPermits(4);
    private final AtomicInteger confirms = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final ConfirmedPublisher publisher = new ConfirmedPublisher(relay, rabbit, scheduler, permits,
            confirms::incrementAndGet, failures::add);

    @BeforeEach
    void confirmsAndReturns() {
        // as the gateway's application.properties sets them
        connections.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        connections.setPublisherReturns(true);
        rabbit.setMandatory(true);
    }

    @AfterEach
    void stop() {
        permits.close();
        topology.delete(relay.id());
        scheduler.shutdownNow();
        connections.destroy();
    }

    private static Message message(String body) {
        return MessageBuilder.withBody(body.getBytes(UTF_8)).build();
    }

    private void publishHoldingAPermit(Message message) {
        assertThat(permits.tryAcquire()).isTrue();
        publisher.publish(message);
    }

    @Test
    void givesThePermitBackWhenTheBrokerConfirms() {
        topology.declare(relay.id());

        publishHoldingAPermit(message("one"));

        await().atMost(Duration.ofSeconds(10)).until(() -> confirms.get() == 1);
        assertThat(permits.taken()).isZero();
        assertThat(topology.depth(relay.id())).isEqualTo(1);
        assertThat(failures).isEmpty();
    }

    @Test
    void keepsThePermitAndPublishesAReturnedMessageAgainUntilAQueueTakesIt() {
        admin.declareExchange(ExchangeBuilder.directExchange(RelayTopology.exchange(relay.id())).durable(true)
                .build()); // no queue bound: confirmed, and returned

        publishHoldingAPermit(message("kept"));

        await().atMost(Duration.ofSeconds(10)).until(() -> failures.stream().anyMatch(f -> f.contains("returned")));
        assertThat(permits.taken()).as("a return is no confirm").isEqualTo(1);
        topology.declare(relay.id());
        await().atMost(Duration.ofSeconds(10)).until(() -> permits.taken() == 0);
        Message taken = rabbit.receive(RelayTopology.queue(relay.id()), 5_000);
        assertThat(taken).isNotNull();
        assertThat(new String(taken.getBody(), UTF_8)).isEqualTo("kept");
        assertThat(confirms).hasValue(1);
    }

    @Test
    void givesAnUnconfirmedMessageUpOnceClosedSoThatTheCloseNeedNotWaitForever() {
        admin.declareExchange(ExchangeBuilder.directExchange(RelayTopology.exchange(relay.id())).durable(true)
                .build());
        publishHoldingAPermit(message("never taken"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !failures.isEmpty());

        permits.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> permits.taken() == 0);
        assertThat(confirms).hasValue(0);
    }
}
