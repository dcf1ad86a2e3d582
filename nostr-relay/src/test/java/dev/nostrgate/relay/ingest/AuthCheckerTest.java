package dev.nostrgate.relay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.SecKey;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthCheckerTest {
    private static final SecKey KEY = SecKey.generate();
    private static final long NOW = 1_800_000_000L;

    private static Event auth(String relay, String challenge, long createdAt) {
        return new UnsignedEvent(KEY.pubKey(), createdAt, 22_242,
                List.of(Tag.of("relay", relay), Tag.of("challenge", challenge)), "").sign(KEY);
    }

    @Test
    void judgesTheRelayTagByTheConfiguredPublicUrl() {
        AuthChecker checker = new AuthChecker(Optional.of("wss://Relay.Example.com"), new EventVerifier());
        assertThat(checker.problem(auth("wss://relay.example.com/", "c", NOW), "c", "10.0.0.7:7447", NOW)).isEmpty();
        assertThat(checker.problem(auth("ws://relay.example.com:443", "c", NOW), "c", "x", NOW)).isEmpty();
        assertThat(checker.problem(auth("wss://127.0.0.1:7447", "c", NOW), "c", "127.0.0.1:7447", NOW))
                .hasValueSatisfying(problem -> assertThat(problem).contains("not this relay"));
        assertThat(checker.problem(auth("wss://relay.example.com/other", "c", NOW), "c", "x", NOW)).isPresent();
    }

    @Test
    void judgesTheRelayTagByTheHostHeaderWithoutAPublicUrl() {
        AuthChecker checker = new AuthChecker(Optional.empty(), new EventVerifier());
        assertThat(checker.problem(auth("ws://localhost:7447", "c", NOW), "c", "localhost:7447", NOW)).isEmpty();
        assertThat(checker.problem(auth("wss://relay.example.com", "c", NOW), "c", "relay.example.com", NOW))
                .isEmpty();
        assertThat(checker.problem(auth("ws://localhost:7448", "c", NOW), "c", "localhost:7447", NOW)).isPresent();
    }

    @Test
    void requiresTheChallengeAndATimeWithinTenMinutes() {
        AuthChecker checker = new AuthChecker(Optional.empty(), new EventVerifier());
        assertThat(checker.problem(auth("ws://h", "other", NOW), "c", "h", NOW)).isPresent();
        assertThat(checker.problem(auth("ws://h", "c", NOW - 601), "c", "h", NOW)).isPresent();
        assertThat(checker.problem(auth("ws://h", "c", NOW + 601), "c", "h", NOW)).isPresent();
        assertThat(checker.problem(auth("ws://h", "c", NOW - 599), "c", "h", NOW)).isEmpty();
    }
}
