package dev.nostrgate.cli;

/** The exit codes every command uses, for scripts (nostr-cli/README.md). */
public final class ExitCodes {
    /** Done: every event sent was accepted, every line imported. */
    public static final int OK = 0;
    /** Failed or refused: a relay said no, a server could not be reached, a line was bad. */
    public static final int FAILURE = 1;
    /** The command line itself is wrong: an unknown option, a missing argument, a malformed value. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
