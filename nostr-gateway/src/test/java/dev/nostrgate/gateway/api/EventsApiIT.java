package dev.nostrgate.gateway.api;

import static dev.nostrgate.gateway.schema.Tables.GATEWAY_EVENT_SOURCES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.gateway.GatewayTestSchema;
import dev.nostrgate.relay.store.SqlEventStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code GET /api/events} on a real store: filters from JSON or parameters, cursor paging that returns every event
 * once in NIP-01 order (also through a second holding many more events than a page), and provenance.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ApiTestConfiguration.class)
class EventsApiIT {
    private static final String DATABASE = GatewayTestSchema.create();
    private static final long T0 = 1_700_000_000L;
    private static final SecKey ALICE = SecKey.generate();
    private static final SecKey BOB = SecKey.generate();
    private static final SecKey CAROL = SecKey.generate();
    private static final Comparator<Event> NIP01 = Comparator.comparingLong(Event::createdAt).reversed()
            .thenComparing(e -> e.id().hex());

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("gateway.database.url", () -> DATABASE);
        registry.add("gateway.relay-port", () -> 0);
        registry.add("gateway.database.max-limit", () -> 50);
    }

    @AfterAll
    static void dropSchema() {
        GatewayTestSchema.drop(DATABASE);
    }

    @LocalServerPort
    int port;
    @Autowired
    SqlEventStore store;
    @Autowired
    DSLContext dsl;

    ApiClient api;
    private static List<Event> alice;
    private static List<Event> bob;
    private static List<Event> carol;

    private static Event event(SecKey key, long createdAt, int kind, String content, Tag... tags) {
        return new UnsignedEvent(key.pubKey(), createdAt, kind, List.of(tags), content).sign(key);
    }

    @BeforeEach
    void data() {
        api = new ApiClient(port);
        if (alice != null) {
            return;
        }
        alice = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            alice.add(i % 2 == 0 ? event(ALICE, T0 - 100 + i, 1, "alice " + i, Tag.of("t", "nostr"))
                    : event(ALICE, T0 - 100 + i, 1, "alice " + i));
        }
        bob = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            bob.add(event(BOB, T0, 1, "bob, all in one second: " + i)); // many more than a page
        }
        carol = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            carol.add(event(CAROL, T0 - 1, 7, "+" + i));
        }
        for (int i = 0; i < 3; i++) {
            carol.add(event(CAROL, T0 + 1, 1, "carol " + i));
        }
        store.saveAll(all());
    }

    private static List<Event> all() {
        return Stream.of(alice, bob, carol).flatMap(List::stream).toList();
    }

    private static List<String> ids(List<Event> events) {
        return events.stream().sorted(NIP01).map(e -> e.id().hex()).toList();
    }

    /** Every page of a query, followed through its cursors; the ids in the order they came. */
    private List<String> pages(String query, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 1_000; page++) {
            ApiClient.Reply reply = api.get("/api/events?" + query + (query.isEmpty() ? "" : "&") + "limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            JsonNode events = reply.json().get("events");
            assertThat(events.size()).isLessThanOrEqualTo(limit);
            events.forEach(item -> ids.add(item.get("event").get("id").asText()));
            JsonNode next = reply.json().get("next");
            if (next.isNull()) {
                assertThat(events.size()).isLessThan(limit);
                return ids;
            }
            assertThat(events.size()).isEqualTo(limit);
            cursor = next.asText();
        }
        throw new AssertionError("paging did not end");
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "limit {0}")
    @ValueSource(ints = {1, 3, 7, 30, 50})
    void pagesThroughEveryEventOnceInNip01Order(int limit) {
        assertThat(pages("", limit)).isEqualTo(ids(all()));
    }

    @Test
    void pagesThroughOneSecondHoldingManyMorePagesThanOne() {
        assertThat(pages("authors=" + BOB.pubKey().hex(), 4)).isEqualTo(ids(bob));
        assertThat(pages("filter=" + encoded("{\"authors\":[\"" + BOB.pubKey().hex() + "\"],\"since\":" + T0
                + ",\"until\":" + T0 + "}"), 7)).isEqualTo(ids(bob));
    }

    @Test
    void pagesOnCorrectlyWhenEventsArriveInTheCursorsSecond() {
        SecKey dave = SecKey.generate();
        long second = T0 + 500;
        List<Event> first = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            first.add(event(dave, second, 1, "dave " + i));
        }
        store.saveAll(first);
        String query = "authors=" + dave.pubKey().hex();
        ApiClient.Reply page1 = api.get("/api/events?" + query + "&limit=5");
        List<String> seen = new ArrayList<>();
        page1.json().get("events").forEach(item -> seen.add(item.get("event").get("id").asText()));
        String lastSeen = seen.get(seen.size() - 1);

        List<Event> late = new ArrayList<>(); // some sort before the cursor, some after it
        for (int i = 0; i < 20; i++) {
            late.add(event(dave, second, 1, "dave, late " + i));
        }
        store.saveAll(late);

        List<String> rest = new ArrayList<>();
        String cursor = page1.json().get("next").asText();
        while (cursor != null) {
            JsonNode page = api.get("/api/events?" + query + "&limit=5&cursor=" + cursor).json();
            page.get("events").forEach(item -> rest.add(item.get("event").get("id").asText()));
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        }
        List<String> everything = ids(Stream.concat(first.stream(), late.stream()).toList());
        List<String> after = everything.stream().filter(id -> id.compareTo(lastSeen) > 0).toList();
        assertThat(seen).isEqualTo(ids(first).subList(0, 5));
        assertThat(rest).isEqualTo(after); // exactly what sorts after the cursor, once, in order
        assertThat(rest).containsAll(ids(first).subList(5, 12));
    }

    @Test
    void readsTheFilterFromJsonOrFromParameters() {
        String kind7 = "filter=" + encoded("{\"kinds\":[7]}");
        assertThat(pages(kind7, 50)).isEqualTo(ids(carol.subList(0, 5)));
        assertThat(pages("kinds=7", 50)).isEqualTo(ids(carol.subList(0, 5)));
        List<Event> kinds = all();
        assertThat(pages("kinds=1,7", 50)).isEqualTo(ids(kinds));
        assertThat(pages("kinds=1&kinds=7", 50)).isEqualTo(ids(kinds));
        List<Event> tagged = alice.stream().filter(e -> e.firstTagValue("t").isPresent()).toList();
        assertThat(pages("%23t=nostr", 50)).isEqualTo(ids(tagged));
        assertThat(pages("filter=" + encoded("{\"#t\":[\"nostr\"]}"), 2)).isEqualTo(ids(tagged));
        assertThat(pages("authors=" + ALICE.pubKey().hex() + "," + CAROL.pubKey().hex() + "&since=" + (T0 - 95)
                + "&until=" + (T0 - 1), 50)).isEqualTo(ids(Stream.concat(
                alice.stream().filter(e -> e.createdAt() >= T0 - 95), carol.subList(0, 5).stream()).toList()));
        assertThat(pages("ids=" + bob.get(3).id().hex(), 10)).containsExactly(bob.get(3).id().hex());
    }

    @Test
    void usesTheFiltersLimitAsThePageSizeAndDefaultsTo100CappedAtMaxLimit() {
        JsonNode page = api.get("/api/events?filter=" + encoded("{\"limit\":4}")).json();
        assertThat(page.get("events")).hasSize(4);
        assertThat(api.get("/api/events").json().get("events")).hasSize(50); // 100, capped at max-limit 50
    }

    @Test
    void embedsEachEventAsJsonWithTheRelaysItWasSeenOn() {
        Event newest = carol.stream().max(Comparator.comparingLong(Event::createdAt)
                .thenComparing(e -> e.id().hex(), Comparator.reverseOrder())).orElseThrow();
        UUID relayA = UUID.randomUUID();
        UUID relayB = UUID.randomUUID();
        UUID key = EventPages.key(newest.id().hex());
        dsl.insertInto(GATEWAY_EVENT_SOURCES).values(key, relayB, T0 + 20).values(key, relayA, T0 + 10).execute();

        JsonNode page = api.get("/api/events?limit=2").json();
        JsonNode first = page.get("events").get(0);
        assertThat(first.get("event").isObject()).isTrue();
        assertThat(first.get("event").toString()).isEqualTo(newest.toJson());
        assertThat(first.get("seenOn")).hasSize(2);
        assertThat(first.get("seenOn").get(0).get("relayId").asText()).isEqualTo(relayA.toString());
        assertThat(first.get("seenOn").get(0).get("firstSeen").asText())
                .isEqualTo(Instant.ofEpochSecond(T0 + 10).toString());
        assertThat(first.get("seenOn").get(1).get("relayId").asText()).isEqualTo(relayB.toString());
        assertThat(page.get("events").get(1).get("seenOn")).isEmpty();
    }

    @Test
    void refusesBadQueriesWithProblems() {
        String bob = BOB.pubKey().hex();
        ProblemAssert.problem(api.get("/api/events?kind=1"), 400, "unknown parameter \"kind\"; the parameters are");
        ProblemAssert.problem(api.get("/api/events?kinds=note"), 400,
                "the parameters do not make a valid NIP-01 filter: kinds[0] must be an integer");
        ProblemAssert.problem(api.get("/api/events?kinds=1,70000"), 400, "kinds[1] is out of range");
        ProblemAssert.problem(api.get("/api/events?authors=abc"), 400, "authors[0] must be 64 lowercase hex");
        ProblemAssert.problem(api.get("/api/events?since=-1"), 400, "since is out of range");
        ProblemAssert.problem(api.get("/api/events?until=tomorrow"), 400, "until must be a non-negative integer");
        ProblemAssert.problem(api.get("/api/events?since=1&since=2"), 400, "since is given 2 times; give it once");
        ProblemAssert.problem(api.get("/api/events?%23ab=x"), 400, "must be # followed by one ASCII letter");
        ProblemAssert.problem(api.get("/api/events?limit=0"), 400, "limit must be an integer from 1 to 50");
        ProblemAssert.problem(api.get("/api/events?limit=51"), 400, "limit must be an integer from 1 to 50");
        ProblemAssert.problem(api.get("/api/events?limit=ten"), 400, "limit must be an integer from 1 to 50");
        ProblemAssert.problem(api.get("/api/events?filter=" + encoded("{\"limit\":500}")), 400,
                "the filter's limit must be an integer from 1 to 50");
        ProblemAssert.problem(api.get("/api/events?filter=" + encoded("{\"kinds\":[1]")), 400,
                "filter is not a valid NIP-01 filter: malformed JSON");
        ProblemAssert.problem(api.get("/api/events?filter=" + encoded("{\"kinds\":\"1\"}")), 400,
                "filter is not a valid NIP-01 filter: kinds must be an array of integers");
        ProblemAssert.problem(api.get("/api/events?filter=" + encoded("{\"search\":\"nostr\"}")), 400,
                "search (NIP-50) is not supported");
        ProblemAssert.problem(api.get("/api/events?filter=" + encoded("{}") + "&authors=" + bob), 400,
                "either whole (filter=<JSON>) or as parameters (authors), not both");
        ProblemAssert.problem(api.get("/api/events?cursor=not-a-cursor"), 400, "cursor is not one this API issued");
        ProblemAssert.problem(api.get("/api/events?cursor=" + java.util.Base64.getUrlEncoder()
                .encodeToString("1:xyz:1".getBytes(StandardCharsets.US_ASCII))), 400, "cursor is not one");
        ProblemAssert.problem(api.rawGet("/api/events?kinds=%zz"), 400, "percent-encoding");
        ProblemAssert.problem(api.send("GET", "/api/events", null, null, "application/xml"), 406, "application/json");
        ProblemAssert.problem(api.send("POST", "/api/events", "{}", "application/json"), 405,
                "POST is not allowed here; allowed: GET");
    }
}
