package dev.nostrgate.cli.keys;

import dev.nostrgate.core.nip19.Nip19;
import dev.nostrgate.core.nip19.Nip19Entity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nostr encode}: every NIP-19 entity nostr-core writes, from hex and flags. */
@Command(name = "encode", mixinStandardHelpOptions = true, description = "Encode NIP-19: npub, nsec, note, "
        + "nprofile, nevent, naddr.", subcommands = {EncodeCommand.Npub.class, EncodeCommand.Nsec.class,
        EncodeCommand.Note.class, EncodeCommand.Nprofile.class, EncodeCommand.Nevent.class,
        EncodeCommand.Naddr.class})
public final class EncodeCommand {

    /** The command's printing and its {@code --relay} hints, shared by the encoders. */
    abstract static class Encoder implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-r", "--relay"}, paramLabel = "URL", description = "a relay hint (repeatable)")
        List<String> relays = new ArrayList<>();

        abstract Nip19Entity entity();

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(Nip19.encode(entity()));
            return 0;
        }
    }

    @Command(name = "npub", mixinStandardHelpOptions = true, description = "A public key as npub1...")
    static final class Npub extends Encoder {
        @Parameters(paramLabel = "PUBKEY", description = "64 hex characters")
        String pubkey;

        @Override
        Nip19Entity entity() {
            return new Nip19Entity.Npub(KeyInput.publicKey(pubkey));
        }
    }

    @Command(name = "nsec", mixinStandardHelpOptions = true, description = "A secret key as nsec1...")
    static final class Nsec extends Encoder {
        @Parameters(paramLabel = "SECKEY", description = "64 hex characters")
        String key;

        @Override
        Nip19Entity entity() {
            return new Nip19Entity.Nsec(KeyInput.secretKey(key));
        }
    }

    @Command(name = "note", mixinStandardHelpOptions = true, description = "An event id as note1...")
    static final class Note extends Encoder {
        @Parameters(paramLabel = "ID", description = "64 hex characters")
        String id;

        @Override
        Nip19Entity entity() {
            return new Nip19Entity.Note(KeyInput.eventId(id));
        }
    }

    @Command(name = "nprofile", mixinStandardHelpOptions = true, description = "A public key with relay hints.")
    static final class Nprofile extends Encoder {
        @Parameters(paramLabel = "PUBKEY", description = "hex or npub1...")
        String pubkey;

        @Override
        Nip19Entity entity() {
            return new Nip19Entity.Profile(KeyInput.publicKey(pubkey), relays);
        }
    }

    @Command(name = "nevent", mixinStandardHelpOptions = true,
            description = "An event id with relay hints, and optionally its author and kind.")
    static final class Nevent extends Encoder {
        @Parameters(paramLabel = "ID", description = "hex or note1...")
        String id;

        @Option(names = {"-a", "--author"}, paramLabel = "PUBKEY", description = "the event's author (hex or npub)")
        String author;

        @Option(names = {"-k", "--kind"}, paramLabel = "KIND", description = "the event's kind")
        Integer kind;

        @Override
        Nip19Entity entity() {
            return new Nip19Entity.EventPointer(KeyInput.eventId(id), relays,
                    Optional.ofNullable(author).map(KeyInput::publicKey),
                    kind == null ? OptionalInt.empty() : OptionalInt.of(kind));
        }
    }

    @Command(name = "naddr", mixinStandardHelpOptions = true,
            description = "The address of a replaceable or addressable event: kind, author, d identifier.")
    static final class Naddr extends Encoder {
        @Option(names = {"-k", "--kind"}, required = true, paramLabel = "KIND", description = "the event's kind")
        int kind;

        @Option(names = {"-a", "--author"}, required = true, paramLabel = "PUBKEY",
                description = "the author (hex or npub)")
        String author;

        @Option(names = {"-d", "--identifier"}, defaultValue = "", paramLabel = "D",
                description = "the d tag (empty for a replaceable kind)")
        String identifier;

        @Override
        Nip19Entity entity() {
            return new Nip19Entity.AddressPointer(identifier, KeyInput.publicKey(author), kind, relays);
        }
    }
}
