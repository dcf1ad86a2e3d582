package dev.nostrgate.gateway.topology;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The relay queues' kind ({@code gateway.queues.*}).
 *
 * @param type {@code quorum}, the default (replicated across the broker's nodes, and a delivery limit for poison
 *     messages; on a single-node broker it has one replica and still counts deliveries), or {@code classic}
 * @param deliveryLimit how often a quorum queue delivers a message that its consumer never acknowledged (the
 *     consumer crashed on it, say) before dead-lettering it to {@code nostr.dead}
 */
@Validated
@ConfigurationProperties("gateway.queues")
public record QueueSettings(
        @DefaultValue("quorum") @NotNull Type type,
        @DefaultValue("20") @Positive int deliveryLimit) {

    public enum Type { QUORUM, CLASSIC }
}
