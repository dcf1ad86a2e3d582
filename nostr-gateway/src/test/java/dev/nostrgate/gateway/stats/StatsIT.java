package dev.nostrgate.gateway.stats;

import static dev.nostrgate.gateway.schema.Tables.GATEWAY_RELAY_STATS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nostrgate.gateway.GatewayTestSchema;
import dev.nostrgate.gateway.api.ApiClient;
import dev.nostrgate.gateway.api.ApiTestConfiguration;
import dev.nostrgate.relay.store.TableFault;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.RequiredSearch;
import java.time.Instant;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Statistics end to end: counts in memory, flushed into minute rows, compacted into hour rows, read back through
 * the API with every count preserved; a failed flush loses nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false) // the Prometheus registry, as in production
@Import(ApiTestConfiguration.class)
class StatsIT {
    private static final String DATABASE = GatewayTestSchema.create();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("gateway.database.url", () -> DATABASE);
        registry.add("gateway.relay-port", () -> 0);
        // the test flushes and compacts at instants of its choosing; the schedules stay out of its way
        registry.add("gateway.stats-flush-interval", () -> "1h");
        registry.add("gateway.minute-stats-retention", () -> "2h");
    }

    @AfterAll
    static void dropSchema() {
        GatewayTestSchema.drop(DATABASE);
    }

    @LocalServerPort
    int port;
    @Autowired
    RelayCounters counters;
    @Autowired
    StatsFlusher flusher;
    @Autowired
    StatsCompactor compactor;
    @Autowired
    DSLContext dsl;
    @Autowired
    MeterRegistry meters;

    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    private UUID register() {
        ApiClient.Reply reply = api.post("/api/relays", "{\"url\":\"wss://stats-"
                + UUID.randomUUID().toString().substring(0, 8) + ".example.com\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return UUID.fromString(reply.json().get("id").asText());
    }

    private JsonNode series(UUID relay, String bucket, long from, long to) {
        ApiClient.Reply reply = api.get("/api/relays/" + relay + "/stats?bucket=" + bucket + "&from=" + from
                + "&to=" + Instant.ofEpochSecond(to));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    @Test
    void flushesMinuteRowsAndCompactsThemIntoHourRowsKeepingEveryCount() {
        UUID relay = register();
        long hour = StatsBucket.HOUR.startOf(Instant.now().getEpochSecond()) - 3_600; // the hour before this one
        long minute5 = hour + 5 * 60;
        long minute40 = hour + 40 * 60;

        counters.received(relay, 300);
        counters.received(relay, 700);
        counters.received(relay, 700);
        counters.stored(relay, 1_500);
        counters.stored(relay, 2_500);
        counters.duplicate(relay);
        assertThat(flusher.flush(Instant.ofEpochSecond(minute5 + 7))).isEqualTo(1);
        counters.received(relay, 700);
        counters.received(relay, 5_000);
        counters.invalid(relay);
        assertThat(flusher.flush(Instant.ofEpochSecond(minute5 + 50))).isEqualTo(1); // same minute: added
        counters.received(relay, 900);
        counters.stored(relay, 0);
        flusher.flush(Instant.ofEpochSecond(minute40));

        JsonNode minutes = series(relay, "minute", hour, hour + 3_600);
        assertThat(minutes.get("bucket").asText()).isEqualTo("minute");
        assertThat(minutes.get("from").asText()).isEqualTo(Instant.ofEpochSecond(hour).toString());
        assertThat(minutes.get("points")).hasSize(2);
        JsonNode first = minutes.get("points").get(0);
        assertThat(first.get("start").asText()).isEqualTo(Instant.ofEpochSecond(minute5).toString());
        assertThat(first.get("received").asLong()).isEqualTo(5);
        assertThat(first.get("stored").asLong()).isEqualTo(2);
        assertThat(first.get("duplicates").asLong()).isEqualTo(1);
        assertThat(first.get("invalid").asLong()).isEqualTo(1);
        assertThat(first.get("bytes").asLong()).isEqualTo(7_400);
        assertThat(first.get("meanSize").asDouble()).isEqualTo(1_480.0);
        assertThat(first.get("medianSize").asLong()).isBetween(512L, 1_023L); // the middle event is 700 bytes
        assertThat(first.get("meanLagSeconds").asDouble()).isEqualTo(1.5);
        JsonNode second = minutes.get("points").get(1);
        assertThat(second.get("start").asText()).isEqualTo(Instant.ofEpochSecond(minute40).toString());
        assertThat(second.get("received").asLong()).isEqualTo(1);
        assertThat(second.get("bytes").asLong()).isEqualTo(900);
        JsonNode total = minutes.get("total");
        assertThat(total.get("received").asLong()).isEqualTo(6);
        assertThat(total.get("stored").asLong()).isEqualTo(3);
        assertThat(total.get("bytes").asLong()).isEqualTo(8_300);
        assertThat(total.get("meanLagSeconds").asDouble()).isEqualTo(1.0);

        JsonNode hoursBefore = series(relay, "hour", hour - 3_600, hour + 7_200);
        assertThat(hoursBefore.get("points")).hasSize(1);
        assertThat(hoursBefore.get("points").get(0).get("start").asText())
                .isEqualTo(Instant.ofEpochSecond(hour).toString());
        assertThat(hoursBefore.get("total")).isEqualTo(total);

        assertThat(compactor.compact(Instant.now().plusSeconds(3 * 3_600))).isGreaterThanOrEqualTo(2);

        assertThat(series(relay, "minute", hour, hour + 3_600).get("points")).isEmpty();
        JsonNode hoursAfter = series(relay, "hour", hour - 3_600, hour + 7_200);
        assertThat(hoursAfter.get("points")).hasSize(1);
        assertThat(hoursAfter.get("total")).isEqualTo(total);
        assertThat(hoursAfter.get("points").get(0).get("medianSize").asLong())
                .isEqualTo(hoursBefore.get("points").get(0).get("medianSize").asLong());
        assertThat(dsl.select(GATEWAY_RELAY_STATS.BUCKET_SECONDS).from(GATEWAY_RELAY_STATS)
                .where(GATEWAY_RELAY_STATS.RELAY_ID.eq(relay)).fetch(GATEWAY_RELAY_STATS.BUCKET_SECONDS)).containsExactly(3_600);

        // a minute of an hour compacted already: read together with the hour row, then added into it
        counters.received(relay, 100);
        flusher.flush(Instant.ofEpochSecond(hour + 50 * 60));
        assertThat(series(relay, "hour", hour, hour + 3_600).get("total").get("received").asLong()).isEqualTo(7);
        compactor.compact(Instant.now().plusSeconds(3 * 3_600));
        JsonNode again = series(relay, "hour", hour, hour + 3_600);
        assertThat(again.get("points")).hasSize(1);
        assertThat(again.get("total").get("received").asLong()).isEqualTo(7);
        assertThat(again.get("total").get("bytes").asLong()).isEqualTo(8_400);
        assertThat(dsl.fetchCount(GATEWAY_RELAY_STATS, GATEWAY_RELAY_STATS.RELAY_ID.eq(relay))).isEqualTo(1);
    }

    @Test
    void compactsOnlyMinutesOlderThanTheRetention() {
        UUID relay = register();
        long now = Instant.now().getEpochSecond();
        counters.received(relay, 100);
        flusher.flush(Instant.ofEpochSecond(now - 3 * 3_600)); // older than the 2 h retention
        counters.received(relay, 100);
        flusher.flush(Instant.ofEpochSecond(now - 3_600)); // younger

        compactor.compact(Instant.ofEpochSecond(now));

        assertThat(dsl.select(GATEWAY_RELAY_STATS.BUCKET_SECONDS).from(GATEWAY_RELAY_STATS)
                .where(GATEWAY_RELAY_STATS.RELAY_ID.eq(relay)).orderBy(GATEWAY_RELAY_STATS.BUCKET_START)
                .fetch(GATEWAY_RELAY_STATS.BUCKET_SECONDS))
                .containsExactly(3_600, 60);
        assertThat(series(relay, "hour", now - 5 * 3_600, now).get("total").get("received").asLong())
                .isEqualTo(2);
    }

    @Test
    void aFlushFailedByAnOutageGivesTheCountsBackForTheNextOne() {
        UUID relay = register();
        long minute = StatsBucket.MINUTE.startOf(Instant.now().getEpochSecond()) - 600;
        for (int i = 0; i < 3; i++) {
            counters.received(relay, 500);
        }
        counters.stored(relay, 1_000);

        try (TableFault down = TableFault.everyWrite(schema(), "gateway_relay_stats", "57P01")) {
            assertThat(flusher.flush(Instant.ofEpochSecond(minute))).isZero();
        }
        counters.received(relay, 500);
        assertThat(flusher.flush(Instant.ofEpochSecond(minute))).isGreaterThanOrEqualTo(1);

        JsonNode total = series(relay, "minute", minute, minute + 60).get("total");
        assertThat(total.get("received").asLong()).isEqualTo(4);
        assertThat(total.get("stored").asLong()).isEqualTo(1);
        assertThat(total.get("bytes").asLong()).isEqualTo(2_000);
    }

    @Test
    void countsTheDatabaseRefusesForGoodAreDroppedAndDoNotBlockTheNextFlush() {
        UUID relay = register();
        long minute = StatsBucket.MINUTE.startOf(Instant.now().getEpochSecond()) - 1_200;
        counters.received(relay, 700);
        try (TableFault refused = TableFault.everyWrite(schema(), "gateway_relay_stats", "22003")) {
            assertThat(flusher.flush(Instant.ofEpochSecond(minute))).isZero();
        }
        counters.received(relay, 300);
        assertThat(flusher.flush(Instant.ofEpochSecond(minute))).isGreaterThanOrEqualTo(1);

        JsonNode total = series(relay, "minute", minute, minute + 60).get("total");
        assertThat(total.get("received").asLong()).as("the refused counts were not given back").isEqualTo(1);
        assertThat(total.get("bytes").asLong()).isEqualTo(300);
    }

    private String schema() {
        return dsl.fetchValue(DSL.currentSchema());
    }

    @Test
    void publishesEachRelaysCountersThroughMicrometer() {
        UUID relay = register();
        counters.received(relay, 100);
        counters.received(relay, 150);
        counters.stored(relay, 10);
        counters.duplicate(relay);
        counters.invalid(relay);

        RequiredSearch received = meters.get("nostr.gateway.relay.events.received").tag("relay", relay.toString());
        assertThat(received.functionCounter().count()).isEqualTo(2);
        assertThat(meters.get("nostr.gateway.relay.events.stored").tag("relay", relay.toString())
                .functionCounter().count()).isEqualTo(1);
        assertThat(meters.get("nostr.gateway.relay.events.duplicates").tag("relay", relay.toString())
                .functionCounter().count()).isEqualTo(1);
        assertThat(meters.get("nostr.gateway.relay.events.invalid").tag("relay", relay.toString())
                .functionCounter().count()).isEqualTo(1);
        assertThat(meters.get("nostr.gateway.relay.received.bytes").tag("relay", relay.toString())
                .functionCounter().count()).isEqualTo(250);
        flusher.flush(); // flushing resets what is flushed, not the totals
        assertThat(received.functionCounter().count()).isEqualTo(2);

        String scrape = api.get("/actuator/prometheus").text();
        assertThat(scrape).contains("nostr_gateway_relay_events_received_total{relay=\"" + relay + "\"} 2.0")
                .contains("nostr_gateway_relay_received_bytes_total{relay=\"" + relay + "\"} 250.0");

        counters.forget(relay);
        assertThat(meters.find("nostr.gateway.relay.events.received").tag("relay", relay.toString())
                .functionCounter()).isNull();
    }
}
