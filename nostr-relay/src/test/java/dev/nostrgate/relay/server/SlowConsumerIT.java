package dev.nostrgate.relay.server;

import static dev.nostrgate.relay.Events.event;
import static dev.nostrgate.relay.Events.now;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.relay.TestClient;
import dev.nostrgate.relay.TestRelay;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A client that does not read what it subscribed to is told why and closed; the relay's memory stays bounded. */
class SlowConsumerIT {
    private static final int MAX_OUTBOUND = 256 * 1024;
    private static TestRelay relay;

    @BeforeAll
    static void start() {
        relay = TestRelay.start(config -> config.withLimits(config.limits().toBuilder()
                .maxMessageBytes(64 * 1024).maxOutboundBytes(MAX_OUTBOUND).build()));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void tellsASlowConsumerWhyAndClosesIt() {
        SecKey key = SecKey.generate();
        try (TestClient slow = relay.connect(); TestClient publisher = relay.connect()) {
            assertThat(slow.req("firehose", Filter.builder().authors(key.pubKey().hex()).build())).isEmpty();
            slow.holdReading();
            String content = "x".repeat(30_000);
            // Socket buffers on both sides absorb megabytes first; publish until the relay gives up on the reader.
            for (int i = 0; i < 5_000 && relay.meter("nostr.relay.outbound.slow.closed") == 0; i++) {
                assertThat(publisher.publish(event(key, 20_000, now(), content + i)).accepted()).isTrue();
            }
            assertThat(relay.meter("nostr.relay.outbound.slow.closed")).isEqualTo(1);
            slow.resumeReading();

            RelayMessage message;
            do {
                message = slow.next();
            } while (message instanceof RelayMessage.EventMessage);
            assertThat(message).isInstanceOf(RelayMessage.Notice.class);
            assertThat(((RelayMessage.Notice) message).message()).startsWith("rate-limited: you are reading too slowly");
            assertThat(slow.awaitClose()).isEqualTo(1008);

            assertThat(publisher.req("fine", Filter.builder().limit(0).build())).isEmpty();
        }
    }
}
