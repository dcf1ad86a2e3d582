package dev.nostrgate.cli.transfer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.nostrgate.cli.CliException;
import dev.nostrgate.cli.relay.Relays;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.core.event.InvalidEventException;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.relay.store.StoredEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * REQ and COUNT on one WebSocket, keeping each event in the bytes the relay sent. nostr-core's client hands over
 * parsed events, and writing one again gives NIP-01's serialization, not necessarily what the relay stored: an
 * export must give back the relay's text (a relay that keeps what it was sent, or a database imported with
 * {@code import --db}). Each event is still verified (id and signature) before it is written.
 */
final class RawRelayQueries implements AutoCloseable {
    private static final String SUBSCRIPTION = "export";

    private final String url;
    private final WebSocket socket;
    private final BlockingQueue<String> messages;
    private final EventVerifier verifier = new EventVerifier();
    private final PrintWriter err;

    private RawRelayQueries(String url, WebSocket socket, BlockingQueue<String> messages, PrintWriter err) {
        this.url = url;
        this.socket = socket;
        this.messages = messages;
        this.err = err;
    }

    static RawRelayQueries connect(String url, PrintWriter err) {
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new CliException("not a relay URL: " + url);
        }
        if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
            throw new CliException("not a relay URL: " + url + " (ws:// or wss://)");
        }
        WebSocket socket = Relays.await(HttpClient.newBuilder().connectTimeout(Relays.TIMEOUT).build()
                .newWebSocketBuilder().buildAsync(uri, new Collector(messages)), "connect to " + url);
        return new RawRelayQueries(url, socket, messages, err);
    }

    /** The stored events of one filter, until EOSE; events that do not verify are left out, with a line on stderr. */
    List<StoredEvent> query(Filter filter) {
        send(new ClientMessage.Req(SUBSCRIPTION, List.of(filter)).toJson());
        List<StoredEvent> events = new ArrayList<>();
        while (true) {
            String message = next("the events of a page");
            try (JsonParser parser = EventJson.jsonFactory().createParser(message)) {
                String type = header(parser);
                if (!SUBSCRIPTION.equals(subscription(parser, type))) {
                    continue; // a NOTICE, or an answer to something else
                }
                switch (type) {
                    case "EVENT" -> event(message, parser).ifPresent(events::add);
                    case "EOSE" -> {
                        send(new ClientMessage.Close(SUBSCRIPTION).toJson());
                        return events;
                    }
                    case "CLOSED" -> throw new CliException(url + " closed the export's subscription: "
                            + (parser.nextToken() == JsonToken.VALUE_STRING ? parser.getText() : ""));
                    default -> {
                    }
                }
            } catch (IOException e) {
                throw new CliException(url + " sent a message that is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    /** NIP-45 count, or -1 if the relay does not answer COUNT. */
    long count(Filter filter) {
        send(new ClientMessage.Count(SUBSCRIPTION, List.of(filter)).toJson());
        while (true) {
            String message = next("a COUNT");
            try (JsonParser parser = EventJson.jsonFactory().createParser(message)) {
                String type = header(parser);
                if (!SUBSCRIPTION.equals(subscription(parser, type))) {
                    continue;
                }
                if ("COUNT".equals(type) && parser.nextToken() == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        parser.nextToken();
                        if ("count".equals(name)) {
                            return parser.getLongValue();
                        }
                        parser.skipChildren();
                    }
                }
                return -1; // CLOSED: no NIP-45 here
            } catch (IOException e) {
                throw new CliException(url + " sent a message that is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    private Optional<StoredEvent> event(String message, JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return Optional.empty();
        }
        int start = (int) parser.currentTokenLocation().getCharOffset();
        parser.skipChildren();
        int end = (int) parser.currentTokenLocation().getCharOffset() + 1;
        String json = message.substring(start, end);
        try {
            Event event = EventJson.parse(json);
            Optional<String> problem = verifier.problem(event);
            if (problem.isPresent()) {
                err.println("nostr: export: " + url + " sent event " + event.id().hex() + ", left out: "
                        + problem.get());
                return Optional.empty();
            }
            return Optional.of(new StoredEvent(event.id().hex(), event.createdAt(),
                    json.getBytes(StandardCharsets.UTF_8)));
        } catch (InvalidEventException e) {
            err.println("nostr: export: " + url + " sent an event that is not one, left out: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static String header(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_ARRAY || parser.nextToken() != JsonToken.VALUE_STRING) {
            return "";
        }
        return parser.getText();
    }

    /** The subscription id a message is for, or null for a message without one (NOTICE). */
    private static String subscription(JsonParser parser, String type) throws IOException {
        if (type.equals("NOTICE") || type.isEmpty() || parser.nextToken() != JsonToken.VALUE_STRING) {
            return null;
        }
        return parser.getText();
    }

    private void send(String text) {
        Relays.await(socket.sendText(text, true), "send to " + url);
    }

    private String next(String waitingFor) {
        try {
            String message = messages.poll(Relays.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new CliException(url + " sent nothing for " + Relays.TIMEOUT.toSeconds() + " s while waiting for "
                        + waitingFor);
            }
            if (message == Collector.CLOSED) {
                throw new CliException(url + " closed the connection");
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(ignored -> null);
        socket.abort();
    }

    /** Whole text messages into a queue; a close or an error puts {@link #CLOSED} last. */
    private static final class Collector implements WebSocket.Listener {
        static final String CLOSED = new String("closed");
        private final BlockingQueue<String> messages;
        private final StringBuilder partial = new StringBuilder();

        Collector(BlockingQueue<String> messages) {
            this.messages = messages;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            messages.add(CLOSED);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            messages.add(CLOSED);
        }
    }
}
