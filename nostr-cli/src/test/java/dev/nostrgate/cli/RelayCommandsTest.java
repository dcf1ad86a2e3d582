package dev.nostrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.relay.TestRelay;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** publish, req and count against a real relay (nostr-relay on PostgreSQL, port 0). */
class RelayCommandsTest {
    private static final SecKey KEY = SecKey.generate();
    private static TestRelay relay;

    @BeforeAll
    static void startRelay() {
        relay = TestRelay.start();
    }

    @AfterAll
    static void stopRelay() {
        relay.close();
    }

    @Test
    void publishPrintsEachOkAndReqFindsTheEvents() throws Exception {
        String topic = "t" + System.nanoTime();
        String first = event(1, "first", topic);
        String second = event(1, "second", topic);

        Cli published = Cli.runWithStdin(first + "\n" + second + "\n", "publish", relay.url());
        Cli req = Cli.run("req", "-k", "1", "-t", "t=" + topic, relay.url());
        Cli count = Cli.run("count", "-t", "t=" + topic, relay.url());

        assertThat(published.exitCode()).as(published.err()).isZero();
        assertThat(published.outLines()).containsExactly(
                relay.url() + " " + idOf(first) + " accepted",
                relay.url() + " " + idOf(second) + " accepted");
        assertThat(req.exitCode()).isZero();
        assertThat(req.outLines()).containsExactlyInAnyOrder(first, second);
        assertThat(count.out().strip()).isEqualTo("2");
    }

    @Test
    void aRefusedEventIsExitCode1WithTheRelaysReason() throws Exception {
        Event signed = EventJson.parse(event(1, "x", "refused"));
        // the same event with another content: its id no longer matches
        String forged = new Event(signed.id(), signed.pubkey(), signed.createdAt(), signed.kind(), signed.tags(),
                "changed", signed.sig()).toJson();

        Cli published = Cli.run("publish", "-e", forged, relay.url());

        assertThat(published.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(published.out()).startsWith(relay.url() + " " + signed.id().hex() + " refused invalid:");
    }

    @Test
    void reqTakesAJsonFilterAndDeduplicatesAcrossRelays() throws Exception {
        String topic = "j" + System.nanoTime();
        String one = event(7, "+", topic);
        Cli.run("publish", "-e", one, relay.url());

        Cli req = Cli.run("req", "--filter", "{\"kinds\":[7],\"#t\":[\"" + topic + "\"]}", relay.url(),
                relay.url());
        Cli counts = Cli.run("count", "-k", "7", "-t", "t=" + topic, relay.url(), relay.url());

        assertThat(req.outLines()).containsExactly(one);
        assertThat(counts.outLines()).containsExactly(relay.url() + " 1", relay.url() + " 1");
    }

    @Test
    void streamKeepsPrintingAfterEose() throws Exception {
        String topic = "s" + System.nanoTime();
        String before = event(1, "before", topic);
        Cli.run("publish", "-e", before, relay.url());
        BlockingQueue<String> printed = new LinkedBlockingQueue<>();
        Thread streaming = new Thread(() -> NostrCli.run(new String[] {"req", "--stream", "-t", "t=" + topic,
                relay.url()}, new PrintWriter(lines(printed), true), new PrintWriter(new StringWriter(), true)));
        streaming.start();
        try {
            assertThat(printed.poll(15, TimeUnit.SECONDS)).isEqualTo(before);
            String after = event(1, "after", topic);
            Cli.run("publish", "-e", after, relay.url());

            assertThat(printed.poll(15, TimeUnit.SECONDS)).isEqualTo(after);
        } finally {
            streaming.interrupt();
            streaming.join(10_000);
        }
    }

    @Test
    void publishGoesOnToTheNextRelayWhenOneCannotBeReached() {
        String event = event(1, "to the one that is up", "partial");

        Cli published = Cli.run("publish", "-e", event, "ws://127.0.0.1:1", relay.url());

        assertThat(published.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(published.err().lines()).singleElement().asString()
                .startsWith("nostr: could not connect to ws://127.0.0.1:1");
        assertThat(published.out()).startsWith(relay.url() + " ").contains(" accepted");
    }

    @Test
    void anUnreachableRelayIsOneLineAndExitCode1() {
        Cli req = Cli.run("req", "-k", "1", "ws://127.0.0.1:1");

        assertThat(req.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(req.err().lines()).hasSize(1).first().asString().startsWith("nostr: could not connect to "
                + "ws://127.0.0.1:1");
    }

    private static String event(int kind, String content, String topic) {
        return new UnsignedEvent(KEY.pubKey(), Instant.now().getEpochSecond(), kind, List.of(Tag.of("t", topic)),
                content).sign(KEY).toJson();
    }

    private static String idOf(String json) throws Exception {
        return EventJson.parse(json).id().hex();
    }

    /** A writer that hands on each complete line. */
    private static Writer lines(BlockingQueue<String> into) {
        return new Writer() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public synchronized void write(char[] buffer, int offset, int length) {
                for (int i = offset; i < offset + length; i++) {
                    if (buffer[i] == '\n') {
                        into.add(line.toString());
                        line.setLength(0);
                    } else if (buffer[i] != '\r') {
                        line.append(buffer[i]);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}
