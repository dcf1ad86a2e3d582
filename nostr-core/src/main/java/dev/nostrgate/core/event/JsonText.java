package dev.nostrgate.core.event;

/**
 * Writes JSON strings with exactly the escaping NIP-01 prescribes for the id pre-image, which is also what
 * {@code JSON.stringify} does, so ids computed here equal those of nostr-tools, go-nostr and strfry.
 *
 * <ul>
 *   <li>{@code "} and {@code \} are escaped with a backslash;</li>
 *   <li>{@code \b \f \n \r \t} use their short escapes;</li>
 *   <li>every other C0 control character (U+0000–U+001F) is written as <code>&#92;u00XX</code> with lowercase hex;</li>
 *   <li>a lone surrogate (not valid Unicode, but possible in a Java string decoded from <code>"&#92;ud800"</code>) is written
 *       as <code>&#92;uXXXX</code> with lowercase hex, as ES2019 {@code JSON.stringify} does;</li>
 *   <li>everything else, DEL, U+2028 and astral characters included, is written as it is.</li>
 * </ul>
 */
public final class JsonText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    /** Appends the string, quoted and escaped. */
    public static StringBuilder appendQuoted(StringBuilder out, String value) {
        out.append('"');
        int length = value.length();
        int clean = 0;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++; // a valid pair is written verbatim
                continue;
            }
            out.append(value, clean, i);
            appendEscape(out, c);
            clean = i + 1;
        }
        out.append(value, clean, length);
        return out.append('"');
    }

    private static void appendEscape(StringBuilder out, char c) {
        switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> out.append("\\u")
                    .append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                    .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
        }
    }

    /** Appends tags as a JSON array of arrays of strings. */
    public static StringBuilder appendTags(StringBuilder out, java.util.List<Tag> tags) {
        out.append('[');
        for (int t = 0; t < tags.size(); t++) {
            if (t > 0) {
                out.append(',');
            }
            out.append('[');
            java.util.List<String> values = tags.get(t).values();
            for (int v = 0; v < values.size(); v++) {
                if (v > 0) {
                    out.append(',');
                }
                appendQuoted(out, values.get(v));
            }
            out.append(']');
        }
        return out.append(']');
    }
}
