package dev.nostrgate.relay;

import dev.nostrgate.relay.config.RelayConfig;
import dev.nostrgate.relay.config.RelayConfigReader;
import dev.nostrgate.relay.store.StoreUnavailableException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * {@code java -jar nostr-relay.jar [--config relay.properties]}: reads the configuration (file, then environment),
 * starts the relay, and stops it gracefully on SIGTERM / Ctrl-C. A configuration error is printed as one line and
 * the process exits with status 2; a port, database or broker that cannot be used, likewise with status 1.
 */
public final class RelayMain {
    /** The relay's logging configuration, used only when none was chosen (a library user keeps theirs). */
    static final String LOGBACK_CONFIG = "nostr-relay-logback.xml";

    private RelayMain() {
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIG); // before the first logger
        }
        RelayConfig config;
        try {
            config = read(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("nostr-relay: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (config == null) {
            return; // --help
        }
        Relay relay;
        try {
            relay = Relay.start(config);
        } catch (IllegalStateException | StoreUnavailableException e) { // the port, the database or RabbitMQ
            System.err.println("nostr-relay: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(relay::close, "shutdown"));
    }

    /** The configuration the arguments and environment describe; null after printing the usage. */
    static RelayConfig read(String[] args, Map<String, String> env) {
        Optional<Path> file = Optional.ofNullable(env.get(RelayConfigReader.CONFIG_ENV))
                .filter(value -> !value.isBlank()).map(Path::of);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--config needs a file: --config relay.properties");
                    }
                    file = Optional.of(Path.of(args[++i]));
                }
                case "--help", "-h" -> {
                    System.out.println("usage: nostr-relay [--config relay.properties]\n\n"
                            + "Configuration: a properties file (--config or " + RelayConfigReader.CONFIG_ENV
                            + "), overridden by environment variables\n(NOSTR_RELAY_PORT, NOSTR_RELAY_DB_URL, ...); "
                            + "every key is in nostr-relay/README.md.");
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (usage: nostr-relay [--config relay.properties])");
            }
        }
        return file.isPresent() ? RelayConfigReader.read(file.get(), env) : RelayConfigReader.fromEnvironment(env);
    }
}
