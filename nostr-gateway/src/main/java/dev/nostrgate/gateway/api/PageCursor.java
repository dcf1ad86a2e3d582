package dev.nostrgate.gateway.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a page of {@code GET /api/events} ended: the last event returned, by its NIP-01 position (created_at, id),
 * plus how many events of that same second the pages so far have passed ({@code skip}, a hint that lets the next
 * page fetch that second in one query; correctness rests on (created_at, id) alone). Opaque to clients: base64url
 * of {@code created_at:id:skip}.
 */
record PageCursor(long createdAt, String idHex, int skip) {
    private static final Pattern FORM = Pattern.compile("(\\d{1,18}):([0-9a-f]{64}):(\\d{1,9})");

    PageCursor {
        if (createdAt < 0 || skip < 1) {
            throw new IllegalArgumentException("a cursor follows an event: created_at >= 0, skip >= 1");
        }
    }

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((createdAt + ":" + idHex + ":" + skip).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Reads a cursor this API issued.
     *
     * @throws InvalidRequestException if it is not one
     */
    static PageCursor decode(String text) {
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        Matcher matcher = FORM.matcher(decoded);
        if (!matcher.matches() || Integer.parseInt(matcher.group(3)) < 1) {
            throw invalid();
        }
        return new PageCursor(Long.parseLong(matcher.group(1)), matcher.group(2), Integer.parseInt(matcher.group(3)));
    }

    private static InvalidRequestException invalid() {
        return new InvalidRequestException("cursor", "cursor is not one this API issued: pass the \"next\" value "
                + "of the previous page unchanged, with the same filter");
    }
}
