package dev.nostrgate.cli.keys;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nostrgate.core.nip19.Nip19Entity;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nostr decode}: a NIP-19 string to what it holds. A bare key or id prints as hex (scripts pipe it on); a
 * pointer prints as one JSON object, like nak's decode.
 */
@Command(name = "decode", mixinStandardHelpOptions = true, description = "Decode NIP-19 (npub, nsec, note: hex; "
        + "nprofile, nevent, naddr: a JSON object). A nostr: prefix is accepted.")
public final class DecodeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NIP19", arity = "1..*", description = "one or more npub1..., nevent1..., ...")
    List<String> values;

    @Option(names = "--json", description = "print npub, nsec and note as JSON objects too")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (String value : values) {
            Nip19Entity entity = KeyInput.decode(value, "NIP-19");
            out.println(json ? describe(entity).toString() : text(entity));
        }
        return 0;
    }

    private static String text(Nip19Entity entity) {
        return switch (entity) {
            case Nip19Entity.Npub npub -> npub.pubkey().hex();
            case Nip19Entity.Nsec nsec -> nsec.key().toHex();
            case Nip19Entity.Note note -> note.id().hex();
            default -> describe(entity).toString();
        };
    }

    /** The entity as JSON, with nak's field names ({@code type}, {@code pubkey}, {@code id}, ...). */
    static ObjectNode describe(Nip19Entity entity) {
        ObjectNode node = JSON.createObjectNode();
        switch (entity) {
            case Nip19Entity.Npub npub -> node.put("type", "npub").put("pubkey", npub.pubkey().hex());
            case Nip19Entity.Nsec nsec -> node.put("type", "nsec").put("seckey", nsec.key().toHex());
            case Nip19Entity.Note note -> node.put("type", "note").put("id", note.id().hex());
            case Nip19Entity.Profile profile -> {
                node.put("type", "nprofile").put("pubkey", profile.pubkey().hex());
                profile.relays().forEach(node.putArray("relays")::add);
            }
            case Nip19Entity.EventPointer pointer -> {
                node.put("type", "nevent").put("id", pointer.id().hex());
                pointer.relays().forEach(node.putArray("relays")::add);
                pointer.author().ifPresent(author -> node.put("author", author.hex()));
                pointer.kind().ifPresent(kind -> node.put("kind", kind));
            }
            case Nip19Entity.AddressPointer pointer -> {
                node.put("type", "naddr").put("kind", pointer.kind()).put("pubkey", pointer.pubkey().hex())
                        .put("identifier", pointer.identifier());
                pointer.relays().forEach(node.putArray("relays")::add);
            }
        }
        return node;
    }
}
