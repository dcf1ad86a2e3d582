package dev.nostrgate.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nostrgate.core.client.FakeRelay;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.SecKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the examples as their command lines would, against nostr-core's fake relay. */
class ExamplesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Output out = new Output();
    private final Output err = new Output();
    private FakeRelay relay;

    @BeforeEach
    void startRelay() {
        relay = FakeRelay.start();
    }

    @AfterEach
    void stopRelay() throws InterruptedException {
        relay.close();
    }

    @Test
    void publishHelloWorldPublishesAndPrintsTheEventAndTheAnswer() {
        SecKey key = SecKey.generate();

        int status = PublishHelloWorld.run(new String[] {relay.url().toString(), key.toHex()}, out.stream, err.stream);

        assertThat(status).isZero();
        assertThat(relay.stored()).singleElement().satisfies(event -> {
            assertThat(event.content()).isEqualTo("hello world");
            assertThat(event.kind()).isEqualTo(1);
            assertThat(event.pubkey()).isEqualTo(key.pubKey());
            assertThat(out.lines()).containsExactly(event.toJson(), "OK accepted");
        });
    }

    @Test
    void publishHelloWorldGeneratesAKeyWhenNoneIsGiven() {
        int status = PublishHelloWorld.run(new String[] {relay.url().toString()}, out.stream, err.stream);

        assertThat(status).isZero();
        assertThat(err.text()).contains("generated npub1");
        assertThat(relay.stored()).hasSize(1);
    }

    @Test
    void publishHelloWorldSaysWhenTheRelayRefuses() {
        relay.reject(event -> true, "blocked: read-only relay");

        int status = PublishHelloWorld.run(new String[] {relay.url().toString()}, out.stream, err.stream);

        assertThat(status).isEqualTo(1);
        assertThat(out.lines()).last().isEqualTo("OK refused: blocked: read-only relay");
    }

    @Test
    void subscribePrinterPrintsStoredThenLiveEventsUntilStopped() {
        SecKey key = SecKey.generate();
        Event stored = note(key, 1_000, "stored");
        relay.store(stored, new UnsignedEvent(key.pubKey(), 1_001, 7, List.of(), "+").sign(key));
        CountDownLatch stop = new CountDownLatch(1);

        // on a thread of its own, as a command line runs it: not on the common pool, which it would block, and which
        // the JDK's WebSocket client needs to complete a handshake (see RelayClient, "Threads")
        CompletableFuture<Integer> printer = new CompletableFuture<>();
        Thread.ofPlatform().name("subscribe-printer").start(() -> printer.complete(run(
                new String[] {relay.url().toString(), "{\"kinds\":[1]}"}, stop)));
        await().atMost(WAIT).until(() -> err.text().contains("end of stored events"));
        Event live = note(key, 2_000, "live");
        relay.store(live);
        await().atMost(WAIT).until(() -> out.lines().size() == 2);
        stop.countDown();

        assertThat(printer).succeedsWithin(WAIT).isEqualTo(0);
        assertThat(out.lines()).containsExactly(stored.toJson(), live.toJson());
        await().atMost(WAIT).until(() -> relay.closeCodes().contains(1000));
    }

    @Test
    void subscribePrinterRefusesAMalformedFilter() {
        int status = run(new String[] {relay.url().toString(), "{\"kinds\":\"1\"}"}, new CountDownLatch(0));

        assertThat(status).isEqualTo(2);
        assertThat(err.text()).contains("not a filter: kinds must be an array");
    }

    private int run(String[] args, CountDownLatch stop) {
        try {
            return SubscribePrinter.run(args, out.stream, err.stream, stop);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Event note(SecKey key, long createdAt, String content) {
        return new UnsignedEvent(key.pubKey(), createdAt, 1, List.of(), content).sign(key);
    }

    /** A print stream whose text the test can read while a program writes it. */
    private static final class Output {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            synchronized (stream) { // PrintStream writes under its own lock
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }

        List<String> lines() {
            return text().lines().toList();
        }
    }
}
