package dev.nostrgate.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nostrgate.core.SharedData;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** 1,600+ real signed events from go-nostr and nostrify fixtures. */
class RealEventsTest {
    private final EventVerifier verifier = new EventVerifier();

    static List<String> realEventJson() {
        List<String> all = new ArrayList<>(SharedData.lines("testdata/events/go-nostr-real-events.jsonl"));
        all.addAll(SharedData.lines("testdata/events/nostrify/events.from-events.json.jsonl"));
        all.addAll(SharedData.lines("testdata/events/nostrify/trends.jsonl"));
        all.addAll(SharedData.lines("testdata/events/nostrify/events-3036.jsonl"));
        for (JsonNode event : SharedData.json("testdata/events/nostrify/parameterized-replaceable-events.json")) {
            all.add(event.toString());
        }
        all.add(SharedData.json("testdata/events/nostrify/event-0.json").toString());
        return all;
    }

    @Test
    void parsesAndAuthenticatesEveryRealEvent() throws Exception {
        List<String> lines = realEventJson();
        assertThat(lines).hasSizeGreaterThan(1_600);
        for (String line : lines) {
            Event event = EventJson.parse(line);
            assertThat(verifier.problem(event)).as(event.id().hex()).isEmpty();
        }
    }

    @Test
    void writesJsonThatParsesBackToTheSameEventAndTheSameJsonValue() throws Exception {
        for (String line : realEventJson()) {
            Event event = EventJson.parse(line);
            String written = event.toJson();
            assertThat(EventJson.parse(written)).isEqualTo(event);
            assertThat(SharedData.tree(written)).isEqualTo(SharedData.tree(line));
        }
    }

    @Test
    void parsesFromUtf8BytesExactlyAsFromText() throws Exception {
        for (String line : realEventJson()) {
            assertThat(EventJson.parse(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .isEqualTo(EventJson.parse(line));
        }
    }

    @Test
    void rejectsTheRealEventThatWasTamperedWithUpstream() throws Exception {
        String json = Files.readString(SharedData.path("testdata/events/nostrify/event-1.TAMPERED-id-mismatch.json"));
        Event event = EventJson.parse(json);
        assertThat(verifier.problem(event)).hasValueSatisfying(
                reason -> assertThat(reason).startsWith("event id does not match"));
        assertThatThrownBy(() -> verifier.check(event)).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void knowsTheKindCategoriesAndAddressesOfRealEvents() throws Exception {
        for (String line : realEventJson()) {
            Event event = EventJson.parse(line);
            switch (event.category()) {
                case REPLACEABLE -> assertThat(event.address()).hasValueSatisfying(
                        a -> assertThat(a.identifier()).isEmpty());
                case ADDRESSABLE -> assertThat(event.address()).hasValueSatisfying(
                        a -> assertThat(a.identifier()).isEqualTo(event.identifier()));
                case REGULAR, EPHEMERAL -> assertThat(event.address()).isEmpty();
            }
        }
    }
}
