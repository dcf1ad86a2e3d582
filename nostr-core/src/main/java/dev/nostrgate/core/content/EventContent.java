package dev.nostrgate.core.content;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.PubKey;
import dev.nostrgate.core.key.SecKey;
import java.time.Instant;
import java.util.List;

/**
 * What an event says, before anyone has said it: kind, tags and content, without author, time or signature.
 * Each kind this library knows has a record with a builder that checks its NIP's rules at {@code build()}:
 *
 * <pre>{@code
 * TextContent content = TextContent.builder().content("hello world").build();
 * Event event = content.sign(key);     // a signed kind-1 event, created now
 * }</pre>
 *
 * <p>Implement it for a kind that has no record here, or use {@link GenericContent}.
 */
public interface EventContent {

    /** The event kind, 0–65535. */
    int kind();

    /** The tags, in the order they will be written. */
    List<Tag> tags();

    /** The content field. */
    String content();

    /** The event this content makes for an author at a time (seconds since the epoch), ready to be signed elsewhere. */
    default UnsignedEvent unsigned(PubKey author, long createdAt) {
        return new UnsignedEvent(author, createdAt, kind(), tags(), content());
    }

    /** Signs as the key's owner, created now. */
    default Event sign(SecKey key) {
        return sign(key, Instant.now().getEpochSecond());
    }

    /** Signs as the key's owner, created at the given time (seconds since the epoch). */
    default Event sign(SecKey key, long createdAt) {
        return unsigned(key.pubKey(), createdAt).sign(key);
    }
}
