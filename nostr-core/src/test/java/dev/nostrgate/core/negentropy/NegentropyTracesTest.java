package dev.nostrgate.core.negentropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nostrgate.core.Hex;
import dev.nostrgate.core.SharedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden traces of {@code shared/vectors/negentropy/negentropy-v1-traces.json}, frames written by the reference
 * JS implementation on both sides: our client must write every client frame and our server every server frame byte
 * for byte, each answering the previous reference frame, and the client must end with the listed have/need ids.
 */
class NegentropyTracesTest {
    private static final JsonNode TRACES = SharedData.json("vectors/negentropy/negentropy-v1-traces.json");

    static Stream<Arguments> traces() {
        return StreamSupport.stream(TRACES.get("traces").spliterator(), false)
                .map(trace -> Arguments.of(trace.get("name").asText(), trace));
    }

    static Stream<Arguments> versionCases() {
        return StreamSupport.stream(TRACES.get("protocol_version_cases").spliterator(), false)
                .map(row -> Arguments.of(row.get("client_msg").asText(), row));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("traces")
    void bothSidesWriteTheReferenceFramesByteForByte(String name, JsonNode trace) {
        replay(trace, storage(trace.get("client_items")), storage(trace.get("server_items")));
    }

    /** The relay's storage: blocks spilled to a file (no heap share), every block read back from it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("traces")
    void bothSidesWriteTheReferenceFramesFromSpilledBlocks(String name, JsonNode trace, @TempDir Path spill) {
        StorageBudget noHeap = new StorageBudget(0, Long.MAX_VALUE, spill);
        try (BlockStorage client = BlockStorage.copyOf(storage(trace.get("client_items")), noHeap);
             BlockStorage server = BlockStorage.copyOf(storage(trace.get("server_items")), noHeap)) {
            replay(trace, client, server);
        }
        assertThat(noHeap.diskInUse()).as("given back on close").isZero();
    }

    private static void replay(JsonNode trace, NegentropyStorage clientItems, NegentropyStorage serverItems) {
        long frameSizeLimit = trace.get("frameSizeLimit").asLong();
        NegentropyClient client = new NegentropyClient(clientItems, frameSizeLimit);
        NegentropyServer server = new NegentropyServer(serverItems, frameSizeLimit);
        List<String> have = new ArrayList<>();
        List<String> need = new ArrayList<>();
        List<JsonNode> frames = new ArrayList<>();
        trace.get("messages").forEach(frames::add);

        assertThat(client.initiateHex()).as("client frame 0").isEqualTo(frames.get(0).get("hex").asText());
        for (int i = 1; i < frames.size(); i++) {
            String previous = frames.get(i - 1).get("hex").asText();
            String expected = frames.get(i).get("hex").asText();
            if (frames.get(i).get("from").asText().equals("server")) {
                assertThat(server.reconcileHex(previous)).as("server frame " + i).isEqualTo(expected);
            } else {
                assertThat(client.reconcileHex(previous, have::add, need::add)).as("client frame " + i)
                        .contains(expected);
            }
        }
        String last = frames.get(frames.size() - 1).get("hex").asText();
        assertThat(client.reconcileHex(last, have::add, need::add)).as("client after the last frame").isEmpty();
        assertThat(have).containsExactlyInAnyOrderElementsOf(texts(trace.get("client_have")));
        assertThat(need).containsExactlyInAnyOrderElementsOf(texts(trace.get("client_need")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("versionCases")
    void serverAnswersEachProtocolVersionAsTheReferenceDoes(String message, JsonNode row) {
        NegentropyServer server = new NegentropyServer(storage(row.get("server_items")), 0);

        assertThat(server.reconcileHex(message)).isEqualTo(row.get("expected_server_reply").asText());
        assertThat(server.reconcileHex("6100000200")).as("a v1 message still works afterwards")
                .isEqualTo("6100000201" + "ee".repeat(32));
    }

    @Test
    void clientRefusesAReplyInAnotherVersionAndServerRefusesANonVersionByte() {
        NegentropyClient client = new NegentropyClient(SortedVectorStorage.builder().build(), 0);
        client.initiate();
        NegentropyServer server = new NegentropyServer(SortedVectorStorage.builder().build(), 0);

        assertThatThrownBy(() -> client.reconcileHex("62", id -> { }, id -> { }))
                .isInstanceOf(NegentropyException.class).hasMessageContaining("version 2");
        assertThatThrownBy(() -> server.reconcileHex("00")).isInstanceOf(NegentropyException.class);
    }

    static NegentropyStorage storage(JsonNode items) {
        SortedVectorStorage.Builder builder = SortedVectorStorage.builder(items.size());
        items.forEach(item -> builder.add(item.get(0).asLong(), Hex.decode(item.get(1).asText())));
        return builder.build();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }

}
