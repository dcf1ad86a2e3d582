package dev.nostrgate.cli.keys;

import dev.nostrgate.core.key.PubKey;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.nip19.Nip19;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nostr key}: make a key pair, show a key in all its forms, convert between hex and NIP-19. */
@Command(name = "key", mixinStandardHelpOptions = true, description = "Generate keys, show them, convert hex <-> NIP-19.",
        subcommands = {KeyCommand.Generate.class, KeyCommand.Show.class, KeyCommand.Convert.class})
public final class KeyCommand {

    /** Prints a secret key's four forms: what a person keeps (nsec), shares (npub), and their hex. */
    static void printPair(PrintWriter out, SecKey key) {
        PubKey pubkey = key.pubKey();
        out.println("nsec " + Nip19.nsec(key));
        out.println("npub " + Nip19.npub(pubkey));
        out.println("sec  " + key.toHex());
        out.println("pub  " + pubkey.hex());
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "A new random key pair: nsec, npub, and both as hex.")
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            printPair(spec.commandLine().getOut(), SecKey.generate());
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "A key in every form: a secret key gives nsec, npub and hex; a public key gives npub and hex.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "KEY", description = "nsec1..., npub1..., nprofile1... or hex (hex is read as a "
                + "secret key unless --public)")
        String key;

        @Option(names = "--public", description = "read a hex KEY as a public key")
        boolean isPublic;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            String value = key.strip();
            if (value.startsWith("nsec") || (!isPublic && !value.startsWith("n"))) {
                printPair(out, KeyInput.secretKey(value));
            } else {
                PubKey pubkey = KeyInput.publicKey(value);
                out.println("npub " + Nip19.npub(pubkey));
                out.println("pub  " + pubkey.hex());
            }
            return 0;
        }
    }

    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = "NIP-19 to hex (npub, nsec, note), or hex to NIP-19 (--to npub|nsec|note).")
    static final class Convert implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "VALUE", description = "npub1..., nsec1..., note1... or 64 hex characters")
        String value;

        @Option(names = "--to", paramLabel = "npub|nsec|note", defaultValue = "npub",
                description = "what a hex VALUE becomes (default: ${DEFAULT-VALUE})")
        Target to;

        enum Target { npub, nsec, note }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            String text = value.strip();
            if (text.startsWith("npub")) {
                out.println(KeyInput.publicKey(text).hex());
            } else if (text.startsWith("nsec")) {
                out.println(KeyInput.secretKey(text).toHex());
            } else if (text.startsWith("note")) {
                out.println(KeyInput.eventId(text).hex());
            } else {
                out.println(switch (to) {
                    case npub -> Nip19.npub(KeyInput.publicKey(text));
                    case nsec -> Nip19.nsec(KeyInput.secretKey(text));
                    case note -> Nip19.note(KeyInput.eventId(text));
                });
            }
            return 0;
        }
    }
}
