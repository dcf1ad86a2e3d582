package dev.nostrgate.gateway.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.rabbitmq.client.Channel;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.gateway.stats.RelayCounters;
import dev.nostrgate.relay.store.EventStore;
import dev.nostrgate.relay.store.RecentIds;
import dev.nostrgate.relay.store.SaveOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;

class RelaySinkTest {
    private static final SecKey KEY = SecKey.generate();

    private static Event note(String text) {
        return new UnsignedEvent(KEY.pubKey(), System.currentTimeMillis() / 1000, 1, List.of(), text).sign(KEY);
    }

    private static Message message(Event event, long tag) {
        Message message = MessageBuilder.withBody(event.toJson().getBytes(StandardCharsets.UTF_8)).build();
        message.getMessageProperties().setDeliveryTag(tag);
        return message;
    }

    @Test
    void handsOnlyTheEventsItStoredToTheLiveFeedAfterTheCommit() throws Exception {
        Event fresh = note("new to the aggregate");
        Event known = note("stored before, through another relay");
        EventStore store = mock(EventStore.class);
        when(store.saveAll(anyList())).thenReturn(List.of(SaveOutcome.stored(fresh.id()),
                SaveOutcome.duplicate(known.id())));
        List<List<Event>> fed = new CopyOnWriteArrayList<>();
        Channel channel = mock(Channel.class);
        RelaySink sink = new RelaySink(UUID.randomUUID(), store, new RecentIds(100), new EventVerifier(),
                new RelayCounters(new SimpleMeterRegistry()), mock(CursorBook.class), mock(ProvenanceWriter.class),
                mock(DeadLetters.class), fed::add, () -> false);

        sink.onMessageBatch(List.of(message(fresh, 1), message(known, 2)), channel);

        assertThat(fed).containsExactly(List.of(fresh));
        verify(channel).basicAck(2, true);
    }

    @Test
    void feedsNothingWhenTheBatchHoldsNoNewEvent() {
        Event known = note("duplicate");
        EventStore store = mock(EventStore.class);
        when(store.saveAll(anyList())).thenReturn(List.of(SaveOutcome.duplicate(known.id())));
        List<List<Event>> fed = new CopyOnWriteArrayList<>();
        RelaySink sink = new RelaySink(UUID.randomUUID(), store, new RecentIds(100), new EventVerifier(),
                new RelayCounters(new SimpleMeterRegistry()), mock(CursorBook.class), mock(ProvenanceWriter.class),
                mock(DeadLetters.class), fed::add, () -> false);

        sink.onMessageBatch(List.of(message(known, 1)), mock(Channel.class));

        assertThat(fed).isEmpty();
    }
}
