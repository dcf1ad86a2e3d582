package dev.nostrgate.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The test relay itself: what client tests rely on it to do even where its WebSocket server falls short. */
class FakeRelayTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /**
     * The state Java-WebSocket's server leaves a frame in when a send races the selector's flush of the previous
     * frame: queued, no write interest. Before the relay flushed such frames, a client waited for its OK or EOSE
     * until it timed out (RelayClientTest failed now and then, a different test each time).
     */
    @Test
    void aFrameStrandedInAConnectionsQueueStillReachesTheClient() throws InterruptedException {
        List<String> notices = new CopyOnWriteArrayList<>();
        try (FakeRelay relay = FakeRelay.start();
                RelayClient client = RelayClient.builder().url(relay.url()).noticeListener(notices::add).build()) {
            assertThat(client.connect()).succeedsWithin(WAIT);
            await().atMost(WAIT).until(() -> relay.openConnections() == 1);

            relay.strandNotice("stranded");

            await().atMost(WAIT).until(() -> notices.contains("stranded"));
        }
    }
}
