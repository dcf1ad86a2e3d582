package dev.nostrgate.relay.store;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import java.util.Optional;

/**
 * What the store's {@code text} columns cannot hold, found before an event reaches the database: PostgreSQL and
 * CockroachDB refuse a NUL character in text (22021), and a lone UTF-16 surrogate has no UTF-8 form (the driver
 * would send {@code ?} in its place, and the stored event would no longer be the one signed). NIP-01 allows both
 * in a string, so the relay refuses such an event with {@code invalid:}, as strfry refuses what LMDB's JSON cannot
 * hold, instead of letting the database fail the write.
 */
public final class StorableText {
    private StorableText() {
    }

    /** Why the store cannot keep this event (text after {@code invalid:}), or empty. */
    public static Optional<String> problem(Event event) {
        Optional<String> content = problem(event.content());
        if (content.isPresent()) {
            return Optional.of("content " + content.get());
        }
        for (Tag tag : event.tags()) {
            for (String element : tag.values()) {
                Optional<String> inTag = problem(element);
                if (inTag.isPresent()) {
                    return Optional.of("a tag " + inTag.get());
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return Optional.of("has a NUL character (\\u0000), which the database cannot store");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a pair: one code point outside the BMP, fine
            } else if (Character.isSurrogate(c)) {
                return Optional.of("has an unpaired UTF-16 surrogate (\\u" + Integer.toHexString(c)
                        + "), which is not valid UTF-8");
            }
        }
        return Optional.empty();
    }
}
