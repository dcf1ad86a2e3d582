package dev.nostrgate.cli.relay;

import dev.nostrgate.core.client.RelayClient;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code nostr count}: NIP-45, how many events match, per relay ({@code <count>}, or {@code <relay> <count>}). */
@Command(name = "count", mixinStandardHelpOptions = true, description = "NIP-45: how many events match the filter. "
        + "One relay: the number; several: one '<relay> <count>' line each.")
public final class CountCommand extends FilterCommand {
    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (String url : relays) {
            try (RelayClient client = Relays.connect(url)) {
                long count = Relays.await(client.count(List.of(filter.filter())), "count at " + url);
                out.println(relays.size() == 1 ? Long.toString(count) : url + " " + count);
            }
        }
        out.flush();
        return 0;
    }
}
