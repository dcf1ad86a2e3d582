package dev.nostrgate.relay.ingest;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.relay.config.RelayConfig;
import dev.nostrgate.relay.store.StorableText;
import java.util.Optional;

/**
 * The relay's own rules for an event, beyond NIP-01 well-formedness (the parser's) and authenticity (the
 * verifier's): the limits advertised in NIP-11, and text the store can hold ({@link StorableText}). Cheap checks,
 * run before the signature is verified.
 */
final class EventValidator {
    private final RelayConfig.Limits limits;

    EventValidator(RelayConfig.Limits limits) {
        this.limits = limits;
    }

    /** Why the relay refuses the event (text after {@code invalid:}), or empty. */
    Optional<String> problem(Event event, long nowSeconds) {
        if (event.tags().size() > limits.maxEventTags()) {
            return Optional.of("too many tags (" + event.tags().size() + "; at most " + limits.maxEventTags() + ")");
        }
        String content = event.content();
        if (content.length() > limits.maxContentLength()
                && content.codePointCount(0, content.length()) > limits.maxContentLength()) {
            return Optional.of("content too long (" + content.codePointCount(0, content.length())
                    + " characters; at most " + limits.maxContentLength() + ")");
        }
        if (event.createdAt() < nowSeconds - limits.createdAtLowerLimit()) {
            return Optional.of("created_at is too far in the past (more than " + limits.createdAtLowerLimit()
                    + " seconds before now)");
        }
        if (event.createdAt() > nowSeconds + limits.createdAtUpperLimit()) {
            return Optional.of("created_at is too far in the future (more than " + limits.createdAtUpperLimit()
                    + " seconds after now)");
        }
        return StorableText.problem(event);
    }
}
