package dev.nostrgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PageCursorTest {
    private static final String ID = "0123456789abcdef".repeat(4);

    @Test
    void readsBackWhatItWrites() {
        PageCursor cursor = new PageCursor(1_700_000_000L, ID, 3);
        assertThat(cursor.encode()).matches("[A-Za-z0-9_-]+");
        assertThat(PageCursor.decode(cursor.encode())).isEqualTo(cursor);
    }

    @Test
    void refusesWhatItDidNotWrite() {
        for (String forged : new String[] {"", "!!", "MTIz", encode("1:" + ID), encode("-1:" + ID + ":1"),
                encode("1:" + ID.toUpperCase() + ":1"), encode("1:" + ID + ":0")}) {
            assertThatThrownBy(() -> PageCursor.decode(forged)).as(forged)
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("cursor is not one this API issued");
        }
    }

    @Test
    void theEventKeyIsTheFirstHalfOfTheId() {
        assertThat(EventPages.key(ID)).isEqualTo(UUID.fromString("01234567-89ab-cdef-0123-456789abcdef"));
        assertThat(EventPages.key("f".repeat(64))).isEqualTo(UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff"));
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
