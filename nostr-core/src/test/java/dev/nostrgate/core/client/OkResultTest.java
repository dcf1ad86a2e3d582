package dev.nostrgate.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.message.ReasonPrefix;
import dev.nostrgate.core.message.RelayMessage;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OkResultTest {
    private static final EventId ID = new EventId("a".repeat(64));

    @Test
    void readsThePrefixOfTheMessage() {
        OkResult result = OkResult.of(RelayMessage.Ok.rejected(ID, ReasonPrefix.RATE_LIMITED, "slow down"));

        assertThat(result.accepted()).isFalse();
        assertThat(result.prefix()).contains(ReasonPrefix.RATE_LIMITED);
        assertThat(result.is(ReasonPrefix.RATE_LIMITED)).isTrue();
        assertThat(result.reason().message()).isEqualTo("slow down");
    }

    @Test
    void anUnknownOrMissingPrefixIsNoPrefix() {
        assertThat(new OkResult(ID, true, "").prefix()).isEmpty();
        assertThat(new OkResult(ID, false, "shadowban: bye").prefix()).isEmpty();
        assertThat(new OkResult(ID, false, "shadowban: bye").reason().prefix()).isEqualTo("shadowban");
    }

    @Test
    void thePrefixMustBeTheMessages() {
        assertThatThrownBy(() -> new OkResult(ID, false, "blocked: no", Optional.of(ReasonPrefix.INVALID)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
