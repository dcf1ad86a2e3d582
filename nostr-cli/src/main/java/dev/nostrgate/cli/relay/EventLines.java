package dev.nostrgate.cli.relay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Standard input as lines of UTF-8 (JSON lines), blank lines skipped. */
public final class EventLines {
    private EventLines() {
    }

    public static BufferedReader reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    /** Calls {@code each} with every non-blank line of standard input. */
    public static void forEachStdinLine(Consumer<String> each) {
        try (BufferedReader reader = reader(System.in)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    each.accept(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input", e);
        }
    }
}
