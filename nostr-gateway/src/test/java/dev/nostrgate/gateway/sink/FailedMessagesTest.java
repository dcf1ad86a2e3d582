package dev.nostrgate.gateway.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.nostrgate.gateway.topology.RelayTopology;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

class FailedMessagesTest {
    private final UUID relayId = UUID.randomUUID();
    private final RabbitTemplate rabbit = mock(RabbitTemplate.class);
    private final DeadLetters deadLetters = mock(DeadLetters.class);
    private final FailedMessages failures = new FailedMessages(rabbit, deadLetters, 3);
    private final IllegalStateException bug = new IllegalStateException("a bug this message triggers");

    /** The broker confirms every publish (ack = true) or refuses it. */
    private void brokerConfirms(boolean ack) {
        doAnswer(call -> {
            call.<CorrelationData>getArgument(3).getFuture().complete(new CorrelationData.Confirm(ack, "refused"));
            return null;
        }).when(rabbit).send(anyString(), anyString(), any(Message.class), any(CorrelationData.class));
    }

    private static Message failedBefore(int times) {
        MessageBuilder builder = MessageBuilder.withBody("{}".getBytes(StandardCharsets.UTF_8));
        if (times > 0) {
            builder.setHeader(RelayTopology.ATTEMPTS_HEADER, times);
        }
        return builder.build();
    }

    @Test
    void queuesAMessageAgainAtTheEndOfItsRelaysQueueWithItsFailuresCounted() {
        brokerConfirms(true);

        FailedMessages.Fate fate = failures.failed(relayId, failedBefore(0), bug);

        assertThat(fate).isEqualTo(FailedMessages.Fate.QUEUED_AGAIN);
        ArgumentCaptor<Message> again = ArgumentCaptor.forClass(Message.class);
        verify(rabbit).send(eq(""), eq(RelayTopology.queue(relayId)), again.capture(), any(CorrelationData.class));
        assertThat(FailedMessages.attempts(again.getValue())).isEqualTo(1);
        assertThat(again.getValue().getMessageProperties().getDeliveryMode())
                .isEqualTo(MessageDeliveryMode.PERSISTENT);
        verify(deadLetters, never()).send(any(), any(), any());
    }

    @Test
    void sendsAMessageToTheDeadLettersWithTheExceptionOnceItHasFailedMaxAttemptsTimes() {
        FailedMessages.Fate fate = failures.failed(relayId, failedBefore(2), bug);

        assertThat(fate).isEqualTo(FailedMessages.Fate.DEAD_LETTERED);
        ArgumentCaptor<Message> dead = ArgumentCaptor.forClass(Message.class);
        verify(deadLetters).send(eq(relayId), dead.capture(), eq(
                "error: failed 3 times, last with java.lang.IllegalStateException: a bug this message triggers"));
        assertThat(FailedMessages.attempts(dead.getValue())).isEqualTo(3);
        verify(rabbit, never()).send(anyString(), anyString(), any(Message.class), any(CorrelationData.class));
    }

    @Test
    void failsWhenTheBrokerRefusesTheMessageSoThatTheOriginalIsNotAcknowledged() {
        brokerConfirms(false);

        assertThatThrownBy(() -> failures.failed(relayId, failedBefore(0), bug))
                .isInstanceOf(AmqpException.class).hasMessageContaining("refused");
    }

    @Test
    void refusesToCountToLessThanOne() {
        assertThatThrownBy(() -> new FailedMessages(rabbit, deadLetters, 0))
                .hasMessageContaining("gateway.sink-max-attempts");
    }
}
