package dev.nostrgate.benchmarks.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local RabbitMQ as {@code rabbitmqctl} shows it (run as root or as the rabbitmq user; it reads the node's
 * Erlang cookie): the queues, and the AMQP connections of one gateway, told from others' by the connection name it
 * was given ({@code gateway.amqp-connection-name}), which the client properties carry.
 */
final class Rabbitmqctl {

    /** The names of every queue of the default virtual host. */
    List<String> queues() throws IOException {
        return run("list_queues", "--no-table-headers", "name").lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    /**
     * The connections whose client properties carry {@code connectionName}, and their channels: the consumers' one
     * and the publishers' one, which Spring AMQP names {@code <name>.publisher}.
     */
    Connections connections(String connectionName) throws IOException {
        int connections = 0;
        int channels = 0;
        for (String line : run("list_connections", "--no-table-headers", "channels", "client_properties").lines().toList()) {
            if (line.contains("\"" + connectionName + "\"") || line.contains("\"" + connectionName + ".publisher\"")) {
                connections++;
                channels += Integer.parseInt(line.strip().split("\\s+", 2)[0]);
            }
        }
        return new Connections(connections, channels);
    }

    record Connections(int connections, int channels) {
    }

    /**
     * The broker's file-handle budget (RabbitMQ 3.x's {@code file_handle_cache}, from the node's open-file limit), if
     * it has one: RabbitMQ 4 has none. A quorum queue holds 3 of them on 3.10; once they are spent, the broker
     * accepts TCP connections and never answers their AMQP handshake.
     */
    OptionalInt fileHandleLimit() {
        try {
            Matcher limit = Pattern.compile("\\{total_limit,(\\d+)}")
                    .matcher(run("eval", "file_handle_cache:info([total_limit])."));
            return limit.find() ? OptionalInt.of(Integer.parseInt(limit.group(1))) : OptionalInt.empty();
        } catch (IOException e) { // no such module (RabbitMQ 4), or not allowed to eval
            return OptionalInt.empty();
        }
    }

    void deleteQueue(String name) throws IOException {
        run("delete_queue", name);
    }

    private static String run(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return output;
    }
}
