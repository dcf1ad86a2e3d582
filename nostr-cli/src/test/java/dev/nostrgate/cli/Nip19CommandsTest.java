package dev.nostrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.nip19.Nip19;
import org.junit.jupiter.api.Test;

/** key, encode and decode: the NIP-19 examples of the NIP itself, and what people get wrong. */
class Nip19CommandsTest {
    // NIP-19's own examples
    private static final String NPUB = "npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg";
    private static final String PUB_HEX = "7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e";
    private static final String NSEC = "nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5";
    private static final String SEC_HEX = "67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa";
    private static final String NPROFILE = "nprofile1qqsrhuxx8l9ex335q7he0f09aej04zpazpl0ne2cgukyawd24mayt8gpp4mhxue69"
            + "uhhytnc9e3k7mgpz4mhxue69uhkg6nzv9ejuumpv34kytnrdaksjlyr9p";
    private static final String NPROFILE_PUB = "3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d";

    @Test
    void generateGivesAMatchingPairInFourForms() {
        Cli cli = Cli.run("key", "generate");

        assertThat(cli.exitCode()).isZero();
        assertThat(cli.outLines()).hasSize(4);
        String sec = value(cli, "sec");
        SecKey key = SecKey.fromHex(sec);
        assertThat(value(cli, "nsec")).isEqualTo(Nip19.nsec(key));
        assertThat(value(cli, "npub")).isEqualTo(Nip19.npub(key.pubKey()));
        assertThat(value(cli, "pub")).isEqualTo(key.pubKey().hex());
    }

    @Test
    void showsASecretKeyInEveryForm() {
        Cli fromNsec = Cli.run("key", "show", NSEC);
        Cli fromHex = Cli.run("key", "show", SEC_HEX);

        assertThat(fromNsec.out()).isEqualTo(fromHex.out());
        assertThat(value(fromNsec, "sec")).isEqualTo(SEC_HEX);
        assertThat(value(fromNsec, "nsec")).isEqualTo(NSEC);
    }

    @Test
    void showsAPublicKeyFromNpubOrHex() {
        assertThat(Cli.run("key", "show", NPUB).outLines()).containsExactly("npub " + NPUB, "pub  " + PUB_HEX);
        assertThat(Cli.run("key", "show", "--public", PUB_HEX).outLines()).containsExactly("npub " + NPUB,
                "pub  " + PUB_HEX);
    }

    @Test
    void convertsBothWays() {
        assertThat(Cli.run("key", "convert", NPUB).out().strip()).isEqualTo(PUB_HEX);
        assertThat(Cli.run("key", "convert", PUB_HEX).out().strip()).isEqualTo(NPUB);
        assertThat(Cli.run("key", "convert", NSEC).out().strip()).isEqualTo(SEC_HEX);
        assertThat(Cli.run("key", "convert", "--to", "nsec", SEC_HEX).out().strip()).isEqualTo(NSEC);
        String note = Cli.run("key", "convert", "--to", "note", PUB_HEX).out().strip();
        assertThat(Cli.run("key", "convert", note).out().strip()).isEqualTo(PUB_HEX);
    }

    @Test
    void decodesTheNipExampleNprofileAsJson() {
        Cli cli = Cli.run("decode", "nostr:" + NPROFILE);

        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out().strip()).isEqualTo("{\"type\":\"nprofile\",\"pubkey\":\"" + NPROFILE_PUB + "\","
                + "\"relays\":[\"wss://r.x.com\",\"wss://djbas.sadkb.com\"]}");
    }

    @Test
    void encodesWhatDecodeReads() {
        String nprofile = Cli.run("encode", "nprofile", NPROFILE_PUB, "-r", "wss://r.x.com", "-r",
                "wss://djbas.sadkb.com").out().strip();
        String nevent = Cli.run("encode", "nevent", PUB_HEX, "-r", "wss://a", "--author", NPUB, "-k", "1")
                .out().strip();
        String naddr = Cli.run("encode", "naddr", "-k", "30023", "-a", PUB_HEX, "-d", "post").out().strip();

        assertThat(nprofile).isEqualTo(NPROFILE);
        assertThat(Cli.run("decode", nevent).out().strip()).isEqualTo("{\"type\":\"nevent\",\"id\":\"" + PUB_HEX
                + "\",\"relays\":[\"wss://a\"],\"author\":\"" + PUB_HEX + "\",\"kind\":1}");
        assertThat(Cli.run("decode", naddr).out().strip()).isEqualTo("{\"type\":\"naddr\",\"kind\":30023,"
                + "\"pubkey\":\"" + PUB_HEX + "\",\"identifier\":\"post\",\"relays\":[]}");
        assertThat(Cli.run("encode", "npub", PUB_HEX).out().strip()).isEqualTo(NPUB);
        assertThat(Cli.run("decode", NPUB, NSEC).outLines()).containsExactly(PUB_HEX, SEC_HEX);
        assertThat(Cli.run("decode", "--json", NPUB).out().strip())
                .isEqualTo("{\"type\":\"npub\",\"pubkey\":\"" + PUB_HEX + "\"}");
    }

    @Test
    void aBadValueFailsWithOneLineAndExitCode1() {
        Cli cli = Cli.run("decode", "npub1notbech32");

        assertThat(cli.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(cli.err().lines()).hasSize(1);
        assertThat(cli.err()).startsWith("nostr: cannot read \"npub1notbech32\" as NIP-19");
    }

    @Test
    void aWrongCommandLineIsExitCode2() {
        Cli unknownOption = Cli.run("key", "generate", "--nope");
        Cli missingArgument = Cli.run("decode");

        assertThat(unknownOption.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknownOption.err()).contains("Unknown option: '--nope'", "nostr key generate --help");
        assertThat(missingArgument.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] command : new String[][] {{"--help"}, {"key", "--help"}, {"encode", "naddr", "--help"},
                {"decode", "--help"}, {"event", "--help"}, {"publish", "--help"}, {"req", "--help"},
                {"count", "--help"}, {"export", "--help"}, {"import", "--help"}, {"gateway", "stats", "--help"}}) {
            Cli cli = Cli.run(command);
            assertThat(cli.exitCode()).as(String.join(" ", command)).isZero();
            assertThat(cli.out()).as(String.join(" ", command)).startsWith("Usage: nostr");
        }
    }

    private static String value(Cli cli, String label) {
        return cli.outLines().stream().filter(line -> line.startsWith(label + " ")).findFirst().orElseThrow()
                .substring(label.length()).strip();
    }
}
