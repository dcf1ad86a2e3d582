package dev.nostrgate.gateway.api;

import dev.nostrgate.gateway.registry.ListPosition;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a page of {@code GET /api/relays} ended: the last relay's registration time (microseconds, as the database
 * keeps it) and id. Opaque to clients: base64url of {@code micros:uuid}.
 */
final class RelayListCursor {
    private static final Pattern FORM = Pattern.compile("(\\d{1,18}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"
            + "[0-9a-f]{4}-[0-9a-f]{12})");

    private RelayListCursor() {
    }

    static String encode(ListPosition position) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, position.createdAt());
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((micros + ":" + position.id()).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Reads a cursor this API issued.
     *
     * @throws InvalidRequestException if it is not one
     */
    static ListPosition decode(String text) {
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(text.strip()), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        Matcher matcher = FORM.matcher(decoded);
        if (!matcher.matches()) {
            throw invalid();
        }
        return new ListPosition(Instant.EPOCH.plus(Long.parseLong(matcher.group(1)), ChronoUnit.MICROS),
                UUID.fromString(matcher.group(2)));
    }

    private static InvalidRequestException invalid() {
        return new InvalidRequestException("cursor", "cursor is not one this API issued: pass the \"next\" value "
                + "of the previous page unchanged");
    }
}
