package dev.nostrgate.relay;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.SecKey;
import java.util.Arrays;
import java.util.List;

/** Signed events for relay tests, created now unless said otherwise. */
public final class Events {
    private Events() {
    }

    public static long now() {
        return System.currentTimeMillis() / 1000;
    }

    public static Event note(SecKey key, String content) {
        return event(key, 1, now(), content);
    }

    public static Event event(SecKey key, int kind, long createdAt, String content, Tag... tags) {
        return new UnsignedEvent(key.pubKey(), createdAt, kind, Arrays.asList(tags), content).sign(key);
    }

    public static Event event(SecKey key, int kind, long createdAt, String content, List<Tag> tags) {
        return new UnsignedEvent(key.pubKey(), createdAt, kind, tags, content).sign(key);
    }
}
