package dev.nostrgate.examples;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.client.OkResult;
import dev.nostrgate.core.client.RelayClient;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.content.TextContent;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.nip19.Nip19;
import java.io.PrintStream;
import java.util.concurrent.CompletionException;

/**
 * The first example of the design: sign a "hello world" note and publish it to a relay.
 *
 * <pre>
 * java -jar examples/target/examples.jar PublishHelloWorld wss://relay.example.com [secret-key-hex]
 * </pre>
 *
 * <p>Without a key, a new one is generated and its npub printed. Prints the event's JSON, then the relay's answer;
 * exits with 0 if the relay accepted the event, 1 if it refused it or did not answer, 2 for bad arguments.
 */
public final class PublishHelloWorld {
    private PublishHelloWorld() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 1 || args.length > 2) {
            err.println("usage: PublishHelloWorld <relay-url> [secret-key-hex]");
            return 2;
        }
        final SecKey key;
        try {
            key = args.length == 2 ? new SecKey(Hex.decode(args[1])) : SecKey.generate();
        } catch (IllegalArgumentException e) {
            err.println("not a secret key: " + e.getMessage());
            return 2;
        }
        if (args.length == 1) {
            err.println("no key given; generated " + Nip19.npub(key.pubKey()));
        }

        // The design's first example, as written.
        try (final RelayClient client = RelayClient.builder().url(args[0]).build()) {
            final TextContent content = TextContent.builder().content("hello world").build();
            final Event event = content.sign(key);
            out.println(event.toJson());
            final OkResult ok = client.send(event).join();
            out.println(ok.accepted() ? "OK accepted" + (ok.message().isEmpty() ? "" : ": " + ok.message())
                    : "OK refused: " + ok.message());
            return ok.accepted() ? 0 : 1;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        } catch (CompletionException e) {
            err.println("not published: " + e.getCause().getMessage());
            return 1;
        }
    }
}
