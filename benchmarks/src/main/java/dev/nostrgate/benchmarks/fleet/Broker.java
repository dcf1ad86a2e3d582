package dev.nostrgate.benchmarks.fleet;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * The benchmark's own look at RabbitMQ (127.0.0.1:5672, guest): which relay queues have a consumer, how many
 * connections and channels the gateway holds ({@code rabbitmqctl}), and the clean-up of the relays' queues.
 */
final class Broker implements AutoCloseable {
    private final String connectionName;
    private final Connection connection;
    private Channel channel;

    /** @param connectionName the gateway's AMQP connection name (gateway.amqp-connection-name) */
    Broker(String connectionName) throws IOException, TimeoutException {
        this.connectionName = connectionName;
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        this.connection = factory.newConnection("fleet-bench");
        this.channel = connection.createChannel();
    }

    /** How many of the relays' queues have at least one consumer (a passive declare each: cheap). */
    int queuesWithConsumer(List<UUID> relays) throws IOException {
        int consumed = 0;
        for (UUID relay : relays) {
            try {
                consumed += channel.queueDeclarePassive("nostr.relay." + relay).getConsumerCount() > 0 ? 1 : 0;
            } catch (IOException missing) { // the broker closed the channel: the queue is not declared yet
                channel = connection.createChannel();
            }
        }
        return consumed;
    }

    /** "N connections, M channels" of the gateway, as rabbitmqctl lists them. */
    String connectionsAndChannels() throws IOException, InterruptedException {
        Process ctl = new ProcessBuilder("rabbitmqctl", "-q", "list_connections", "channels", "client_properties")
                .redirectErrorStream(true).start();
        String out = new String(ctl.getInputStream().readAllBytes());
        ctl.waitFor();
        int connections = 0;
        int channels = 0;
        for (String line : out.split("\n")) {
            if (line.contains("{\"connection_name\",\"" + connectionName)) { // its publisher connection too
                connections++;
                channels += Integer.parseInt(line.substring(0, line.indexOf('\t')).trim());
            }
        }
        return connections + " connections, " + channels + " channels (rabbitmqctl list_connections)";
    }

    /** Deletes the relays' queues and exchanges, so that a run leaves the broker as it found it. */
    void delete(List<UUID> relays) throws IOException {
        for (UUID relay : relays) {
            channel.queueDelete("nostr.relay." + relay);
            channel.exchangeDelete("nostr.relay." + relay);
        }
    }

    @Override
    public void close() throws IOException {
        connection.abort();
    }
}
