package dev.nostrgate.core.event;

import java.util.Arrays;
import java.util.List;

/**
 * One tag of an event: an array of strings such as {@code ["e", "<id>", "wss://relay", "reply"]}. NIP-01 puts no
 * lower bound on its length, so an empty tag is representable (and occurs in real events).
 */
public record Tag(List<String> values) {
    public Tag {
        values = List.copyOf(values);
    }

    /** A tag from its strings: {@code Tag.of("p", pubkeyHex)}. */
    public static Tag of(String... values) {
        return new Tag(Arrays.asList(values));
    }

    /** The first element (the tag's name, such as {@code "e"}), or the empty string for an empty tag. */
    public String name() {
        return values.isEmpty() ? "" : values.get(0);
    }

    /** The second element (the tag's value, the one filters match), or the empty string if there is none. */
    public String value() {
        return values.size() < 2 ? "" : values.get(1);
    }

    /** True if this tag has a single-letter name and a value, the tags NIP-01 filters can match with {@code #x}. */
    public boolean isIndexable() {
        String name = name();
        return name.length() == 1 && isAsciiLetter(name.charAt(0)) && values.size() >= 2;
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
