package dev.nostrgate.cli.relay;

import dev.nostrgate.cli.CliException;
import dev.nostrgate.cli.ExitCodes;
import dev.nostrgate.core.client.OkResult;
import dev.nostrgate.core.client.RelayClient;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.InvalidEventException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nostr publish}: sends signed events to relays and prints each relay's OK, one line per event and relay:
 * {@code <relay> <id> accepted|refused <message>}. Exit 1 if any relay refused any event.
 */
@Command(name = "publish", mixinStandardHelpOptions = true, description = "Send signed events (--event, or JSON "
        + "lines on stdin) to relays; print every OK. Exit code 1 if any was refused.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every relay accepted every event", "1:a relay refused an event, or was not reached",
                "2:usage error"})
public final class PublishCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RELAY", arity = "1..*", description = "relay URLs (ws:// or wss://)")
    List<String> relays;

    @Option(names = {"-e", "--event"}, paramLabel = "JSON", description = "a signed event; repeatable "
            + "(without it, events are read from stdin, one JSON object a line)")
    List<String> events = new ArrayList<>();

    @Override
    public Integer call() {
        List<Event> toSend = new ArrayList<>();
        if (events.isEmpty()) {
            EventLines.forEachStdinLine(line -> toSend.add(parse(line)));
        } else {
            events.forEach(json -> toSend.add(parse(json)));
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean allAccepted = true;
        for (String url : relays) {
            // one relay that cannot be reached does not keep the events from the others
            try (RelayClient client = Relays.connect(url)) {
                for (Event event : toSend) {
                    OkResult ok = Relays.await(client.send(event), "publish " + event.id().hex() + " to " + url);
                    allAccepted &= ok.accepted();
                    out.println(url + " " + event.id().hex() + " " + (ok.accepted() ? "accepted" : "refused")
                            + (ok.message().isEmpty() ? "" : " " + ok.message()));
                }
            } catch (CliException e) {
                allAccepted = false;
                spec.commandLine().getErr().println("nostr: " + e.getMessage());
            }
        }
        out.flush();
        return allAccepted ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    static Event parse(String json) {
        try {
            return EventJson.parse(json);
        } catch (InvalidEventException e) {
            throw new CliException("not a signed event: " + e.getMessage());
        }
    }
}
