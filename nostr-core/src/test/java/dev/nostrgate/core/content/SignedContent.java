package dev.nostrgate.core.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.core.event.InvalidEventException;
import dev.nostrgate.core.key.SchnorrProviders;
import dev.nostrgate.core.key.SecKey;

/** Signs content the way a user would and checks the result is a real event: authentic, and the same after JSON. */
final class SignedContent {
    static final SecKey KEY = SecKey.fromHex("d217c1ff2f8a65c3e3a1740db3b9f58b8c848bb45e26d00ed4714e4a0f4ceecf");
    static final SecKey OTHER_KEY =
            SecKey.fromHex("7f7ff03d123792d6ac594bfa67bf6d0c0ab55b6b1fdb6249303fe861f1ccba9a");
    static final long CREATED_AT = 1_700_000_000L;

    private SignedContent() {
    }

    /** Signs with {@link #KEY} at {@link #CREATED_AT}; asserts it carries the content, verifies, and round-trips. */
    static Event signAndCheck(EventContent content) {
        Event event = content.sign(KEY, CREATED_AT);
        assertThat(event.pubkey()).isEqualTo(KEY.pubKey());
        assertThat(event.createdAt()).isEqualTo(CREATED_AT);
        assertThat(event.kind()).isEqualTo(content.kind());
        assertThat(event.tags()).isEqualTo(content.tags());
        assertThat(event.content()).isEqualTo(content.content());
        for (String provider : new String[] {"native", "java"}) {
            assertThat(new EventVerifier(SchnorrProviders.choose(provider)).problem(event)).as(provider).isEmpty();
        }
        try {
            assertThat(EventJson.parse(event.toJson())).isEqualTo(event);
        } catch (InvalidEventException e) {
            throw new AssertionError("the signed event's JSON does not parse: " + e.getMessage(), e);
        }
        return event;
    }
}
