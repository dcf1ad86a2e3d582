package dev.nostrgate.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Test vectors and real-world data, read in place from the {@code shared/} folder beside the clone (the build
 * passes its location as the system property {@code nostr.shared.dir}). Never copied into the repository.
 */
public final class SharedData {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SharedData() {
    }

    /** A file under shared/, e.g. {@code path("vectors/bip340-test-vectors.csv")}; fails the test if missing. */
    public static Path path(String relative) {
        String root = System.getProperty("nostr.shared.dir", "../shared");
        Path file = Path.of(root).resolve(relative).normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("missing shared test data " + file.toAbsolutePath()
                    + ": the shared/ folder must sit beside the clone (set -Dnostr.shared.dir to override)");
        }
        return file;
    }

    /** A JSON file as a tree. */
    public static JsonNode json(String relative) {
        try {
            return MAPPER.readTree(path(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of a text file (JSON Lines files: one JSON value per line), blank lines dropped. */
    public static List<String> lines(String relative) {
        try {
            return Files.readAllLines(path(relative)).stream().filter(line -> !line.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses JSON text into a tree (for comparing JSON values in tests). */
    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
