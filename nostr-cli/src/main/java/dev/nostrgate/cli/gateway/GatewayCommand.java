package dev.nostrgate.cli.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nostrgate.cli.CliException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nostr gateway relays|add|remove|stats}: the gateway's relay admin from the terminal. */
@Command(name = "gateway", mixinStandardHelpOptions = true, description = "The gateway's REST admin: list, add and "
        + "remove relays, show a relay's statistics.", subcommands = {GatewayCommand.Relays.class,
        GatewayCommand.Add.class, GatewayCommand.Remove.class, GatewayCommand.Stats.class})
public final class GatewayCommand {

    /** The gateway's address and the command's output, shared by the subcommands. */
    abstract static class ApiCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:NOSTR_GATEWAY_URL:-http://localhost:8080}",
                description = "the gateway's HTTP address (default: $NOSTR_GATEWAY_URL, else http://localhost:8080)")
        String url;

        @Option(names = "--json", description = "print the gateway's JSON answer as it is")
        boolean json;

        GatewayApi api() {
            return new GatewayApi(url);
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** A relay's id from its id or its URL (looked up in the list). */
        String relayId(GatewayApi api, String idOrUrl) {
            if (!idOrUrl.startsWith("ws://") && !idOrUrl.startsWith("wss://")) {
                return idOrUrl;
            }
            for (JsonNode relay : relays(api)) {
                if (sameUrl(relay.path("url").asText(), idOrUrl)) {
                    return relay.path("id").asText();
                }
            }
            throw new CliException("no registered relay has the URL " + idOrUrl + " (nostr gateway relays lists them)");
        }

        /** Every registered relay, oldest first: the list's pages, followed to the last. */
        static List<JsonNode> relays(GatewayApi api) {
            List<JsonNode> relays = new ArrayList<>();
            String next = null;
            do {
                JsonNode page = api.get("api/relays?limit=1000" + (next == null ? ""
                        : "&cursor=" + URLEncoder.encode(next, StandardCharsets.UTF_8)));
                page.path("relays").forEach(relays::add);
                next = page.path("next").isTextual() ? page.path("next").asText() : null;
            } while (next != null);
            return relays;
        }

        private static boolean sameUrl(String registered, String given) {
            return registered.equalsIgnoreCase(given.replaceAll("/+$", ""));
        }

        static String path(String id) {
            return "api/relays/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
        }
    }

    @Command(name = "relays", mixinStandardHelpOptions = true,
            description = "The registered relays: id, state, received/stored counts, URL, name.")
    static final class Relays extends ApiCommand {
        @Override
        public Integer call() {
            List<JsonNode> relays = relays(api());
            if (json) {
                ObjectNode all = GatewayApi.json().createObjectNode();
                all.putArray("relays").addAll(relays);
                out().println(all);
            } else {
                for (JsonNode relay : relays) {
                    JsonNode counters = relay.path("counters");
                    out().printf("%s  %-12s %10d received %10d stored  %s  %s%n", relay.path("id").asText(),
                            relay.path("state").asText(), counters.path("received").asLong(),
                            counters.path("stored").asLong(), relay.path("url").asText(),
                            relay.path("name").asText());
                }
            }
            out().flush();
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Register a relay; prints its id.")
    static final class Add extends ApiCommand {
        @Parameters(paramLabel = "RELAY_URL", description = "ws:// or wss:// URL")
        String relayUrl;

        @Option(names = "--name", description = "a label (default: the URL's host)")
        String name;

        @Option(names = {"-f", "--filter"}, paramLabel = "JSON", description = "a NIP-01 filter to subscribe with; "
                + "repeatable (default: every event)")
        List<String> filters = new ArrayList<>();

        @Override
        public Integer call() {
            ObjectNode body = GatewayApi.json().createObjectNode().put("url", relayUrl);
            if (name != null) {
                body.put("name", name);
            }
            if (!filters.isEmpty()) {
                ArrayNode array = body.putArray("filters");
                for (String filter : filters) {
                    try {
                        array.add(GatewayApi.json().readTree(filter));
                    } catch (IOException e) {
                        throw new CliException("--filter is not JSON: " + filter);
                    }
                }
            }
            JsonNode relay = api().post("api/relays", body);
            out().println(json ? relay.toString() : relay.path("id").asText());
            out().flush();
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Unregister a relay (by id or URL).")
    static final class Remove extends ApiCommand {
        @Parameters(paramLabel = "RELAY", description = "the relay's id or URL")
        String relay;

        @Override
        public Integer call() {
            GatewayApi api = api();
            String id = relayId(api, relay);
            api.delete(path(id));
            out().println("removed " + id);
            out().flush();
            return 0;
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "A relay's statistics per minute or hour (the gateway's JSON).")
    static final class Stats extends ApiCommand {
        @Parameters(paramLabel = "RELAY", description = "the relay's id or URL")
        String relay;

        @Option(names = "--bucket", paramLabel = "minute|hour", description = "bucket width (default: minute)")
        String bucket;

        @Option(names = "--from", paramLabel = "TIME", description = "start: ISO-8601 or unix seconds")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "end, exclusive: ISO-8601 or unix seconds")
        String to;

        @Override
        public Integer call() {
            GatewayApi api = api();
            StringBuilder query = new StringBuilder();
            append(query, "bucket", bucket);
            append(query, "from", from);
            append(query, "to", to);
            out().println(api.get(path(relayId(api, relay)) + "/stats" + query).toPrettyString());
            out().flush();
            return 0;
        }

        private static void append(StringBuilder query, String name, String value) {
            if (value != null) {
                query.append(query.isEmpty() ? '?' : '&').append(name).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
    }
}
