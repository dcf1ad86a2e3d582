package dev.nostrgate.gateway.topology;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.SecKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;

class EventBatchCodecTest {
    private static final SecKey KEY = SecKey.generate();

    private static Event note(String content) {
        return new UnsignedEvent(KEY.pubKey(), 1_700_000_000, 1, List.of(), content).sign(KEY);
    }

    private static byte[] json(Event event) {
        return event.toJson().getBytes(UTF_8);
    }

    private static List<String> texts(List<byte[]> events) {
        return events.stream().map(bytes -> new String(bytes, UTF_8)).toList();
    }

    private static Message batch(String body, Object count) {
        return MessageBuilder.withBody(body.getBytes(UTF_8))
                .setContentType(EventBatchCodec.CONTENT_TYPE)
                .setHeader(EventBatchCodec.COUNT_HEADER, count)
                .build();
    }

    @Test
    void givesBackTheEventsOfABatchInOrder() throws Exception {
        List<Event> events = List.of(note("first"), note("second, with ünïcödé and an emoji 🦩"), note("third"));

        Message message = EventBatchCodec.encode(events.stream().map(EventBatchCodecTest::json).toList(), 1234L,
                events.get(0).id().hex());

        assertThat(texts(EventBatchCodec.decode(message))).containsExactlyElementsOf(
                events.stream().map(Event::toJson).toList());
        assertThat(message.getMessageProperties().getContentType()).isEqualTo(EventBatchCodec.CONTENT_TYPE);
        assertThat((Integer) message.getMessageProperties().getHeader(EventBatchCodec.COUNT_HEADER)).isEqualTo(3);
        assertThat(message.getMessageProperties().getDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
        assertThat(message.getMessageProperties().getMessageId()).isEqualTo(events.get(0).id().hex());
        assertThat(EventBatchCodec.receivedAt(message)).hasValue(1234L);
    }

    @Test
    void joinsTheEventsWithNewlinesAndNothingElse() {
        Message message = EventBatchCodec.encode(List.of("{\"a\":1}".getBytes(UTF_8), "{\"b\":2}".getBytes(UTF_8)),
                0, "id");

        assertThat(new String(message.getBody(), UTF_8)).isEqualTo("{\"a\":1}\n{\"b\":2}");
    }

    @Test
    void keepsANewlineInsideAnEventsContentInThatEvent() throws Exception {
        Event multiline = note("line one\nline two\r\n\nline four");
        Event after = note("after");

        List<byte[]> decoded = EventBatchCodec.decode(EventBatchCodec.encode(List.of(json(multiline), json(after)),
                0, "id"));

        assertThat(decoded).hasSize(2);
        assertThat(EventJson.parse(decoded.get(0))).isEqualTo(multiline);
        assertThat(EventJson.parse(decoded.get(1))).isEqualTo(after);
    }

    @Test
    void readsASingleEventMessageOfBeforeBatchingAsOneEvent() throws Exception {
        Event event = note("published one per message");
        Message old = MessageBuilder.withBody(json(event))
                .setContentType(EventBatchCodec.SINGLE_CONTENT_TYPE)
                .setHeader(EventBatchCodec.RECEIVED_AT_HEADER, 99L)
                .build();

        assertThat(texts(EventBatchCodec.decode(old))).containsExactly(event.toJson());
        assertThat(EventBatchCodec.receivedAt(old)).hasValue(99L);
    }

    @Test
    void readsAnyOtherMessageAsOneEventForTheSinkToJudge() throws Exception {
        Message garbage = MessageBuilder.withBody("not json\nat all".getBytes(UTF_8)).build();
        Message empty = MessageBuilder.withBody(new byte[0]).build();

        assertThat(texts(EventBatchCodec.decode(garbage))).containsExactly("not json\nat all");
        assertThat(EventBatchCodec.decode(empty)).singleElement().satisfies(body -> assertThat(body).isEmpty());
        assertThat(EventBatchCodec.receivedAt(garbage)).isEmpty();
    }

    @Test
    void leavesABadLineOfABatchForTheSinkToJudgeAlone() throws Exception {
        String good = note("good").toJson();

        assertThat(texts(EventBatchCodec.decode(batch(good + "\nnot json\n" + good, 3))))
                .containsExactly(good, "not json", good);
    }

    @Test
    void refusesABatchThatIsEmptyOrHasAnEmptyLine() {
        String good = note("good").toJson();

        assertThatThrownBy(() -> EventBatchCodec.decode(batch("", 1)))
                .isInstanceOf(UnreadableBatchException.class).hasMessageContaining("empty batch");
        assertThatThrownBy(() -> EventBatchCodec.decode(batch(good + "\n\n" + good, 3)))
                .isInstanceOf(UnreadableBatchException.class).hasMessageContaining("empty line (line 2)");
        assertThatThrownBy(() -> EventBatchCodec.decode(batch(good + "\n", 1)))
                .isInstanceOf(UnreadableBatchException.class).hasMessageContaining("empty line (line 2)");
    }

    @Test
    void refusesABatchWhoseCountHeaderIsMissingOrDisagrees() {
        String good = note("good").toJson();

        assertThatThrownBy(() -> EventBatchCodec.decode(batch(good + "\n" + good, 3)))
                .isInstanceOf(UnreadableBatchException.class).hasMessageContaining("2 lines").hasMessageContaining("3");
        assertThatThrownBy(() -> EventBatchCodec.decode(batch(good, "one")))
                .isInstanceOf(UnreadableBatchException.class).hasMessageContaining(EventBatchCodec.COUNT_HEADER);
        assertThatThrownBy(() -> EventBatchCodec.decode(batch(good, 0)))
                .isInstanceOf(UnreadableBatchException.class).hasMessageContaining(EventBatchCodec.COUNT_HEADER);
        Message noHeader = MessageBuilder.withBody(good.getBytes(UTF_8))
                .setContentType(EventBatchCodec.CONTENT_TYPE).build();
        assertThatThrownBy(() -> EventBatchCodec.decode(noHeader))
                .isInstanceOf(UnreadableBatchException.class).hasMessageContaining(EventBatchCodec.COUNT_HEADER);
    }

    @Test
    void marksOnlyCatchUpBatchesAsCatchUp() throws Exception {
        Event stored = note("stored");
        Message catchUp = EventBatchCodec.encode(List.of(json(stored)), 0, "id", true);
        Message live = EventBatchCodec.encode(List.of(json(note("live"))), 0, "id");

        assertThat(EventBatchCodec.isCatchUp(catchUp)).isTrue();
        assertThat(EventBatchCodec.isCatchUp(live)).isFalse();
        assertThat(live.getMessageProperties().getHeaders()).doesNotContainKey(EventBatchCodec.CATCH_UP_HEADER);
        assertThat(texts(EventBatchCodec.decode(catchUp))).containsExactly(stored.toJson());
        assertThat(EventBatchCodec.caughtUpTo(catchUp)).isEmpty();
    }

    @Test
    void theCaughtUpMarkerHoldsNoEventAndTheNewestCreatedAtOfTheCatchUp() throws Exception {
        Message marker = EventBatchCodec.caughtUp(1_700_000_123L);

        assertThat(EventBatchCodec.caughtUpTo(marker)).hasValue(1_700_000_123L);
        assertThat(EventBatchCodec.decode(marker)).isEmpty();
        assertThat(EventBatchCodec.isCatchUp(marker)).isFalse();
        assertThat(marker.getMessageProperties().getContentType()).isEqualTo(EventBatchCodec.CAUGHT_UP_CONTENT_TYPE);
        assertThat(marker.getMessageProperties().getDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
        Message noHeader = MessageBuilder.withBody(new byte[0])
                .setContentType(EventBatchCodec.CAUGHT_UP_CONTENT_TYPE).build();
        assertThatThrownBy(() -> EventBatchCodec.caughtUpTo(noHeader))
                .isInstanceOf(UnreadableBatchException.class).hasMessageContaining(EventBatchCodec.CAUGHT_UP_TO_HEADER);
    }

    @Test
    void refusesToEncodeABatchOfNoEvents() {
        assertThatThrownBy(() -> EventBatchCodec.encode(List.of(), 0, "id"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cutsOneEventOutOfABatchAsASingleEventMessageWithTheBatchsHeaders() {
        Event bad = note("bad");
        Message carrier = EventBatchCodec.encode(List.of(json(note("good")), json(bad)), 4321L, "batch-id");

        Message alone = EventBatchCodec.alone(carrier, json(bad));

        assertThat(new String(alone.getBody(), UTF_8)).isEqualTo(bad.toJson());
        assertThat(alone.getMessageProperties().getContentType()).isEqualTo(EventBatchCodec.SINGLE_CONTENT_TYPE);
        assertThat(alone.getMessageProperties().getHeaders()).doesNotContainKey(EventBatchCodec.COUNT_HEADER);
        assertThat(EventBatchCodec.receivedAt(alone)).hasValue(4321L);
        assertThat(alone.getMessageProperties().getMessageId()).isEqualTo("batch-id");
        assertThat(carrier.getMessageProperties().getHeaders()).containsKey(EventBatchCodec.COUNT_HEADER);
    }

    @Test
    void leavesASingleEventMessageAsItIsWhenItIsDeadLettered() {
        Message single = MessageBuilder.withBody("not json".getBytes(UTF_8)).build();

        assertThat(EventBatchCodec.alone(single, single.getBody())).isSameAs(single);
    }
}
