package dev.nostrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.key.SecKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** event: flags or unsigned JSON lines in, signed events out, one JSON line each. */
class EventCommandTest {
    private static final SecKey KEY = SecKey.generate();

    @Test
    void buildsAndSignsAnEventFromFlags() throws Exception {
        Cli cli = Cli.run("event", "--sec", KEY.toHex(), "-k", "7", "-c", "+", "--created-at", "1700000000",
                "-t", "e=" + "ab".repeat(32) + ";wss://relay.example;reply", "-t", "t=nostr");

        assertThat(cli.exitCode()).isZero();
        Event event = EventJson.parse(cli.out().strip());
        assertThat(new EventVerifier().problem(event)).isEmpty();
        assertThat(event.pubkey()).isEqualTo(KEY.pubKey());
        assertThat(event.kind()).isEqualTo(7);
        assertThat(event.content()).isEqualTo("+");
        assertThat(event.createdAt()).isEqualTo(1_700_000_000L);
        assertThat(event.tags()).containsExactly(Tag.of("e", "ab".repeat(32), "wss://relay.example", "reply"),
                Tag.of("t", "nostr"));
    }

    @Test
    void signsUnsignedEventsFromStdin() throws Exception {
        String stdin = "{\"kind\":1,\"content\":\"one\",\"tags\":[[\"t\",\"a\"]],\"created_at\":1}\n\n"
                + "{\"kind\":30023,\"content\":\"two\",\"tags\":[[\"d\",\"x\"]],\"created_at\":2}\n";

        Cli cli = Cli.runWithStdin(stdin, "event", "--stdin", "--sec", KEY.toHex());

        assertThat(cli.exitCode()).isZero();
        List<Event> events = cli.outLines().stream().map(EventCommandTest::parse).toList();
        assertThat(events).extracting(Event::content).containsExactly("one", "two");
        assertThat(events).extracting(Event::kind).containsExactly(1, 30023);
        assertThat(events).allSatisfy(event -> assertThat(new EventVerifier().problem(event)).isEmpty());
    }

    @Test
    void withoutAKeyItSaysWhereOneComesFrom() {
        Cli cli = Cli.run("event", "-c", "hi");

        // the test JVM has no NOSTR_SECRET_KEY (nor should a build machine)
        assertThat(System.getenv("NOSTR_SECRET_KEY")).isNull();
        assertThat(cli.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(cli.err().strip()).isEqualTo("nostr: no secret key: give --sec <nsec or hex> or set "
                + "NOSTR_SECRET_KEY");
    }

    @Test
    void aMalformedTagIsRefusedInOneLine() {
        Cli cli = Cli.run("event", "--sec", KEY.toHex(), "-t", "novalue");

        assertThat(cli.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(cli.err().strip()).isEqualTo("nostr: a tag is NAME=VALUE[;MORE...], was \"novalue\"");
    }

    private static Event parse(String json) {
        try {
            return EventJson.parse(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }
}
