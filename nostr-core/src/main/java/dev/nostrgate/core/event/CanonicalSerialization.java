package dev.nostrgate.core.event;

import dev.nostrgate.core.key.PubKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The NIP-01 id pre-image {@code [0,<pubkey>,<created_at>,<kind>,<tags>,<content>]}, compact, UTF-8, escaped as
 * {@link JsonText} describes, and the id computed from it.
 */
public final class CanonicalSerialization {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    });

    private CanonicalSerialization() {
    }

    /** The pre-image as text. */
    public static String serialize(PubKey pubkey, long createdAt, int kind, List<Tag> tags, String content) {
        StringBuilder out = new StringBuilder(128 + content.length() + 80 * tags.size());
        out.append("[0,\"").append(pubkey.hex()).append("\",").append(createdAt).append(',').append(kind).append(',');
        JsonText.appendTags(out, tags).append(',');
        JsonText.appendQuoted(out, content);
        return out.append(']').toString();
    }

    /** The SHA-256 of the UTF-8 pre-image: the event id, as 32 bytes. */
    public static byte[] idBytes(PubKey pubkey, long createdAt, int kind, List<Tag> tags, String content) {
        byte[] preImage = serialize(pubkey, createdAt, kind, tags, content).getBytes(StandardCharsets.UTF_8);
        return SHA256.get().digest(preImage);
    }

    /** The event id. */
    public static EventId id(PubKey pubkey, long createdAt, int kind, List<Tag> tags, String content) {
        return EventId.of(idBytes(pubkey, createdAt, kind, tags, content));
    }
}
