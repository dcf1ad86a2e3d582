package dev.nostrgate.cli;

import dev.nostrgate.cli.gateway.GatewayCommand;
import dev.nostrgate.cli.keys.DecodeCommand;
import dev.nostrgate.cli.keys.EncodeCommand;
import dev.nostrgate.cli.keys.KeyCommand;
import dev.nostrgate.cli.relay.CountCommand;
import dev.nostrgate.cli.relay.EventCommand;
import dev.nostrgate.cli.relay.PublishCommand;
import dev.nostrgate.cli.relay.ReqCommand;
import dev.nostrgate.cli.transfer.ExportCommand;
import dev.nostrgate.cli.transfer.ImportCommand;
import dev.nostrgate.cli.transfer.SyncCommand;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nostr <command>}: the entry point; each command is a class of its own. */
@Command(name = "nostr", mixinStandardHelpOptions = true, version = "nostr-cli 0.1.0",
        description = "Nostr from the terminal: keys, NIP-19, events, relays, export/import, the gateway.",
        subcommands = {KeyCommand.class, EncodeCommand.class, DecodeCommand.class, EventCommand.class,
                PublishCommand.class, ReqCommand.class, CountCommand.class, ExportCommand.class,
                ImportCommand.class, SyncCommand.class, GatewayCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed or refused (one line on stderr says why)", "2:usage error"})
public final class NostrCli {
    private NostrCli() {
    }

    public static void main(String[] args) {
        // UTF-8 whatever the platform's default: events are UTF-8 JSON; stdout is buffered (an export writes
        // millions of lines) and flushed at the end, stderr is not
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, UTF_8), 1 << 16));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, UTF_8), true);
        int code = run(args, out, err);
        out.flush();
        System.exit(code);
    }

    /** Runs one command line with the given output streams; returns its exit code (tests call this). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err).execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new NostrCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("nostr: " + oneLine(e));
            return ExitCodes.FAILURE;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("nostr: " + e.getMessage());
            failed.getErr().println("(" + failed.getCommandSpec().qualifiedName(" ") + " --help shows the usage)");
            return ExitCodes.USAGE;
        });
        return cli;
    }

    /** The message of a failure, and of its cause when that says more, on one line. */
    static String oneLine(Throwable e) {
        if (e instanceof CliException || e instanceof IllegalArgumentException) {
            return flatten(e.getMessage());
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return flatten(e == root || e.getMessage() == null ? message : e.getMessage() + " (" + message + ")");
    }

    private static String flatten(String text) {
        return text == null ? "failed" : text.replaceAll("\\s*\\R\\s*", " ");
    }
}
