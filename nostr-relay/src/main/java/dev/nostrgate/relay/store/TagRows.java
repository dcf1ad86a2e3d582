package dev.nostrgate.relay.store;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The rows of {@code event_tags} for an event: its single-letter tags with a value (the ones NIP-01 filters can
 * match), each (name, value) once. A value longer than {@value #MAX_INDEXED_LENGTH} characters is stored as
 * {@code sha256:<hex>} so that index entries stay small (PostgreSQL refuses B-tree entries over ~2.7 kB); queries
 * transform their values the same way, so matching stays exact.
 */
final class TagRows {
    static final int MAX_INDEXED_LENGTH = 256;

    record TagRow(String name, String value) {
    }

    private TagRows() {
    }

    static List<TagRow> of(Event event) {
        Set<TagRow> rows = new LinkedHashSet<>();
        for (Tag tag : event.tags()) {
            if (tag.isIndexable()) {
                rows.add(new TagRow(tag.name(), indexForm(tag.value())));
            }
        }
        return new ArrayList<>(rows);
    }

    /** The stored form of a tag value. */
    static String indexForm(String value) {
        if (value.length() <= MAX_INDEXED_LENGTH) {
            return value;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + Hex.encode(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
