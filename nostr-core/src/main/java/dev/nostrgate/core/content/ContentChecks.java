package dev.nostrgate.core.content;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The checks the content records run in their compact constructors, so that a record that exists is valid
 * whether a builder made it or not. Every failure is an {@link IllegalArgumentException} that starts with the field.
 */
final class ContentChecks {
    private ContentChecks() {
    }

    static void check(boolean valid, String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Rejects a null component: records of this package use empty values and {@link Optional}, never null. */
    static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null (use an empty value or Optional.empty())");
        }
        return value;
    }

    /** An immutable copy of a list component that rejects null elements with the field's name. */
    static <T> List<T> listOf(List<T> values, String field) {
        present(values, field);
        for (T value : values) {
            present(value, field + " element");
        }
        return List.copyOf(values);
    }

    static void nonNegative(OptionalLong timestamp, String field) {
        present(timestamp, field);
        timestamp.ifPresent(seconds -> check(seconds >= 0,
                field + " must be seconds since the Unix epoch, not negative, was " + seconds));
    }

    static void notBlankIfPresent(Optional<String> value, String field) {
        present(value, field);
        value.ifPresent(text -> check(!text.isBlank(), field + " must not be blank: leave it unset instead"));
    }

    /** True for the empty string (no hint) or a {@code ws://} / {@code wss://} URL: what a relay hint may be. */
    static boolean isRelayHint(String value) {
        if (value == null) {
            return false;
        }
        if (value.isEmpty()) {
            return true;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        return (lower.startsWith("wss://") && lower.length() > 6 || lower.startsWith("ws://") && lower.length() > 5)
                && value.chars().noneMatch(Character::isWhitespace);
    }

    static String checkRelayHint(String value, String field) {
        check(isRelayHint(value), field + " must be a ws:// or wss:// URL, or empty for none, was '" + value + "'");
        return value;
    }

    /**
     * Hashtags as NIP-24 wants them in {@code t} tags: without the {@code #}, lowercase, one word; duplicates dropped,
     * order kept.
     */
    static List<String> normalizedHashtags(List<String> hashtags, String field) {
        LinkedHashSet<String> normalized = new LinkedHashSet<>();
        for (String hashtag : listOf(hashtags, field)) {
            String word = hashtag.startsWith("#") ? hashtag.substring(1) : hashtag;
            check(!word.isBlank() && word.codePoints().noneMatch(Character::isWhitespace),
                    field + " must be single words without spaces, was '" + hashtag + "'");
            normalized.add(word.toLowerCase(Locale.ROOT));
        }
        return List.copyOf(new ArrayList<>(normalized));
    }
}
