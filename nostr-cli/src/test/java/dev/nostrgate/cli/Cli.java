package dev.nostrgate.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs one command line in this JVM, as {@code ./nostr} would, and keeps what it printed. */
public record Cli(int exitCode, String out, String err) {

    public static Cli run(String... args) {
        return runWithStdin("", args);
    }

    /** With standard input; the commands read {@code System.in}, so it is swapped for the call. */
    public static synchronized Cli runWithStdin(String stdin, String... args) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = NostrCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
            return new Cli(code, out.toString(), err.toString());
        } finally {
            System.setIn(original);
        }
    }

    public List<String> outLines() {
        return out.lines().toList();
    }
}
