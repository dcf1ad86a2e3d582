package dev.nostrgate.cli.relay;

import dev.nostrgate.core.client.RelayClient;
import dev.nostrgate.core.client.Subscription;
import dev.nostrgate.core.client.SubscriptionListener;
import dev.nostrgate.core.event.Event;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nostr req}: the events matching a filter, one JSON line each, each once however many relays send it. Ends
 * at the last relay's EOSE, or with {@code --stream} stays for new events until interrupted.
 */
@Command(name = "req", mixinStandardHelpOptions = true, description = "Print the events matching a filter as JSON "
        + "lines; --stream keeps printing new ones after EOSE.")
public final class ReqCommand extends FilterCommand {
    @Option(names = "--stream", description = "stay open after EOSE and print new events as they come")
    boolean stream;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch stored = new CountDownLatch(relays.size());
        List<RelayClient> clients = new ArrayList<>();
        try {
            for (String url : relays) {
                RelayClient client = Relays.connect(url);
                clients.add(client);
                Subscription ignored = client.subscribe(filter.filter(), new SubscriptionListener() {
                    @Override
                    public void onEvent(Event event) {
                        if (seen.add(event.id().hex())) {
                            synchronized (out) {
                                out.println(event.toJson());
                                out.flush();
                            }
                        }
                    }

                    @Override
                    public void onEose() {
                        stored.countDown();
                    }

                    @Override
                    public void onClosed(String reason) {
                        spec.commandLine().getErr().println("nostr: " + url + " closed the subscription: " + reason);
                        stored.countDown();
                    }
                });
            }
            if (stream) {
                new CountDownLatch(1).await(); // until the process is interrupted (Ctrl-C)
            }
            if (!stored.await(Relays.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                spec.commandLine().getErr().println("nostr: not every relay sent EOSE within "
                        + Relays.TIMEOUT.toSeconds() + " s; printed what came");
                return 1;
            }
            return 0;
        } finally {
            clients.forEach(RelayClient::close);
        }
    }
}
