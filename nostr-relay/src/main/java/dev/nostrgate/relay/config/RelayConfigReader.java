package dev.nostrgate.relay.config;

import dev.nostrgate.relay.store.DatabaseConfig;
import dev.nostrgate.relay.store.WriterConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@link RelayConfig} from an optional properties file and the environment; the environment wins. Every key
 * is read by name, here, with its environment variable beside it (no reflection): this class and the README's table
 * are the whole list. A key in the file that is not on the list stops startup (a typo must not silently fall back
 * to a default).
 *
 * <p>Durations are written {@code 250ms}, {@code 3s}, {@code 10m}, {@code 1h}, {@code 2d} or ISO-8601
 * ({@code PT3S}); byte sizes as a number of bytes or with {@code KiB}/{@code MiB} ({@code 256KiB}).
 */
public final class RelayConfigReader {
    /** Names the properties file when {@code --config} is not given. */
    public static final String CONFIG_ENV = "NOSTR_RELAY_CONFIG";
    /** {@code false} in the container image: no database URL is then an error, not an embedded database. */
    public static final String EMBEDDED_ALLOWED_ENV = "NOSTR_RELAY_DB_EMBEDDED_ALLOWED";

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|b|kib|kb|k|mib|mb|m|gib|gb|g)");

    private final Map<String, String> file;
    private final Map<String, String> env;
    private final Map<String, String> known = new LinkedHashMap<>();

    private RelayConfigReader(Map<String, String> file, Map<String, String> env) {
        this.file = file;
        this.env = env;
    }

    /** The configuration from the environment alone. */
    public static RelayConfig fromEnvironment(Map<String, String> env) {
        return read(Map.of(), env);
    }

    /**
     * The configuration from a properties file (UTF-8) and the environment.
     *
     * @throws IllegalArgumentException naming the file or key and what is wrong
     */
    public static RelayConfig read(Path propertiesFile, Map<String, String> env) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the configuration file " + propertiesFile.toAbsolutePath()
                    + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            values.put(name, properties.getProperty(name).trim());
        }
        return read(values, env);
    }

    /** The configuration from key/value pairs (as a properties file holds them) and the environment. */
    public static RelayConfig read(Map<String, String> fileValues, Map<String, String> env) {
        return new RelayConfigReader(fileValues, env).read();
    }

    private RelayConfig read() {
        RelayConfig d = RelayConfig.DEFAULTS;

        var serverDefaults = d.server();
        var server = new RelayConfig.Server(
                string("relay.bind", "NOSTR_RELAY_BIND", serverDefaults.bind()),
                integer("relay.port", "NOSTR_RELAY_PORT", serverDefaults.port()),
                optional("relay.publicUrl", "NOSTR_RELAY_PUBLIC_URL"),
                integer("relay.ioThreads", "NOSTR_RELAY_IO_THREADS", serverDefaults.ioThreads()),
                integer("relay.ingestThreads", "NOSTR_RELAY_INGEST_THREADS", serverDefaults.ingestThreads()),
                duration("relay.shutdownTimeout", "NOSTR_RELAY_SHUTDOWN_TIMEOUT", serverDefaults.shutdownTimeout()),
                bool("relay.compression", "NOSTR_RELAY_COMPRESSION", serverDefaults.compression()),
                duration("relay.idleTimeout", "NOSTR_RELAY_IDLE_TIMEOUT", serverDefaults.idleTimeout()),
                bool("relay.readOnly", "NOSTR_RELAY_READ_ONLY", serverDefaults.readOnly()));

        var infoDefaults = d.info();
        var info = new RelayConfig.Info(
                string("info.name", "NOSTR_RELAY_NAME", infoDefaults.name()),
                string("info.description", "NOSTR_RELAY_DESCRIPTION", infoDefaults.description()),
                string("info.pubkey", "NOSTR_RELAY_PUBKEY", infoDefaults.pubkey()),
                string("info.contact", "NOSTR_RELAY_CONTACT", infoDefaults.contact()),
                string("info.icon", "NOSTR_RELAY_ICON", infoDefaults.icon()));

        var l = d.limits();
        var limits = new RelayConfig.Limits(
                (int) size("limits.maxMessageBytes", "NOSTR_RELAY_MAX_MESSAGE_BYTES", l.maxMessageBytes()),
                integer("limits.maxSubscriptions", "NOSTR_RELAY_MAX_SUBSCRIPTIONS", l.maxSubscriptions()),
                integer("limits.maxFilters", "NOSTR_RELAY_MAX_FILTERS", l.maxFilters()),
                integer("limits.maxLimit", "NOSTR_RELAY_MAX_LIMIT", l.maxLimit()),
                integer("limits.maxSubidLength", "NOSTR_RELAY_MAX_SUBID_LENGTH", l.maxSubidLength()),
                integer("limits.maxEventTags", "NOSTR_RELAY_MAX_EVENT_TAGS", l.maxEventTags()),
                integer("limits.maxContentLength", "NOSTR_RELAY_MAX_CONTENT_LENGTH", l.maxContentLength()),
                seconds("limits.createdAtLowerLimit", "NOSTR_RELAY_CREATED_AT_LOWER_LIMIT", l.createdAtLowerLimit()),
                seconds("limits.createdAtUpperLimit", "NOSTR_RELAY_CREATED_AT_UPPER_LIMIT", l.createdAtUpperLimit()),
                integer("limits.maxConnectionsPerIp", "NOSTR_RELAY_MAX_CONNECTIONS_PER_IP", l.maxConnectionsPerIp()),
                integer("limits.eventsPerSecond", "NOSTR_RELAY_EVENTS_PER_SECOND", l.eventsPerSecond()),
                integer("limits.eventBurst", "NOSTR_RELAY_EVENT_BURST", l.eventBurst()),
                size("limits.maxOutboundBytes", "NOSTR_RELAY_MAX_OUTBOUND_BYTES", l.maxOutboundBytes()));

        var auth = new RelayConfig.Auth(
                bool("auth.requiredForWrites", "NOSTR_RELAY_AUTH_REQUIRED_FOR_WRITES", d.auth().requiredForWrites()),
                bool("auth.requiredForReads", "NOSTR_RELAY_AUTH_REQUIRED_FOR_READS", d.auth().requiredForReads()));

        var db = d.database();
        var database = new DatabaseConfig(
                optional("database.url", "NOSTR_RELAY_DB_URL"),
                string("database.user", "NOSTR_RELAY_DB_USER", db.user()),
                string("database.password", "NOSTR_RELAY_DB_PASSWORD", db.password()),
                Path.of(string("database.dataDir", "NOSTR_RELAY_DATA_DIR", db.dataDirectory().toString())),
                integer("database.readPoolSize", "NOSTR_RELAY_DB_READ_POOL_SIZE", db.readPoolSize()));
        requireUrlUnlessEmbeddedAllowed(database);

        var w = d.writer();
        var writer = new WriterConfig(
                integer("writer.lanes", "NOSTR_RELAY_WRITER_LANES", w.lanes()),
                integer("writer.maxBatch", "NOSTR_RELAY_WRITER_MAX_BATCH", w.maxBatch()),
                duration("writer.maxDelay", "NOSTR_RELAY_WRITER_MAX_DELAY", w.maxDelay()),
                integer("writer.queueCapacity", "NOSTR_RELAY_WRITER_QUEUE_CAPACITY", w.queueCapacity()),
                duration("writer.retryFor", "NOSTR_RELAY_WRITER_RETRY_FOR", w.retryFor()),
                integer("writer.recentIdsCapacity", "NOSTR_RELAY_WRITER_RECENT_IDS", w.recentIdsCapacity()));

        var q = d.query();
        var query = new RelayConfig.Query(
                integer("query.threads", "NOSTR_RELAY_QUERY_THREADS", q.threads()),
                duration("query.timeout", "NOSTR_RELAY_QUERY_TIMEOUT", q.timeout()),
                duration("query.expirationSweepEvery", "NOSTR_RELAY_EXPIRATION_SWEEP_EVERY",
                        q.expirationSweepEvery()),
                integer("query.recentEventsMegabytes", "NOSTR_RELAY_RECENT_EVENTS_MB", q.recentEventsMegabytes()));

        var rabbit = new RelayConfig.Rabbit(
                optional("rabbitmq.url", "NOSTR_RELAY_RABBITMQ_URL"),
                string("rabbitmq.exchange", "NOSTR_RELAY_RABBITMQ_EXCHANGE", d.rabbit().exchange()));

        var proxies = new RelayConfig.Proxies(optional("relay.trustedProxies", "NOSTR_RELAY_TRUSTED_PROXIES")
                .map(list -> java.util.Arrays.stream(list.split(",")).map(String::trim).filter(t -> !t.isEmpty())
                        .map(AddressRange::parse).toList())
                .orElse(List.of()));

        var n = d.negentropy();
        var negentropy = new RelayConfig.Negentropy(
                integer("negentropy.maxSessions", "NOSTR_RELAY_NEGENTROPY_MAX_SESSIONS", n.maxSessions()),
                integer("negentropy.maxItems", "NOSTR_RELAY_NEGENTROPY_MAX_ITEMS", n.maxItems()),
                (int) size("negentropy.frameSizeLimit", "NOSTR_RELAY_NEGENTROPY_FRAME_SIZE_LIMIT",
                        n.frameSizeLimit()),
                size("negentropy.memoryBudget", "NOSTR_RELAY_NEGENTROPY_MEMORY_BUDGET", n.memoryBudget()),
                size("negentropy.diskBudget", "NOSTR_RELAY_NEGENTROPY_DISK_BUDGET", n.diskBudget()),
                string("negentropy.spillDirectory", "NOSTR_RELAY_NEGENTROPY_SPILL_DIRECTORY", n.spillDirectory()));

        List<String> unknown = new ArrayList<>();
        for (String key : file.keySet()) {
            if (!known.containsKey(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown configuration key" + (unknown.size() > 1 ? "s " : " ")
                    + unknown + " (check the spelling; known keys: " + new TreeSet<>(known.keySet()) + ")");
        }
        return new RelayConfig(server, info, limits, auth, database, writer, query, rabbit, proxies, negentropy);
    }

    /**
     * The container image sets {@value #EMBEDDED_ALLOWED_ENV}{@code =false}: there an embedded database would live
     * and die with the container, and each replica would keep its own events, so a relay that forgot its URL must
     * stop, not start half-working. On a laptop (the jar, {@code ./nostr relay}) the embedded one is the default.
     */
    private void requireUrlUnlessEmbeddedAllowed(DatabaseConfig database) {
        boolean embeddedAllowed = bool("database.embeddedAllowed", EMBEDDED_ALLOWED_ENV, true);
        if (!embeddedAllowed && database.url().isEmpty()) {
            throw new IllegalArgumentException("NOSTR_RELAY_DB_URL (database.url) is not set, and this relay does "
                    + "not start an embedded PostgreSQL (" + EMBEDDED_ALLOWED_ENV + "=false, as in the container "
                    + "image): set NOSTR_RELAY_DB_URL to a jdbc:postgresql: URL, or " + EMBEDDED_ALLOWED_ENV
                    + "=true to keep the events in the container");
        }
    }

    /** Every key this reader knows, with its environment variable, in the order read. */
    public static Map<String, String> keys() {
        RelayConfigReader reader = new RelayConfigReader(Map.of(), Map.of());
        reader.read();
        return Map.copyOf(reader.known);
    }

    private Optional<String> raw(String key, String envName) {
        known.put(key, envName);
        String value = env.get(envName);
        if (value == null) {
            value = file.get(key);
        }
        return value == null ? Optional.empty() : Optional.of(value.trim());
    }

    private String string(String key, String envName, String defaultValue) {
        return raw(key, envName).orElse(defaultValue);
    }

    private Optional<String> optional(String key, String envName) {
        return raw(key, envName).filter(value -> !value.isEmpty());
    }

    private int integer(String key, String envName, int defaultValue) {
        Optional<String> value = raw(key, envName);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.get().replace("_", ""));
        } catch (NumberFormatException e) {
            throw invalid(key, envName, value.get(), "a whole number such as " + defaultValue);
        }
    }

    private boolean bool(String key, String envName, boolean defaultValue) {
        Optional<String> value = raw(key, envName);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw invalid(key, envName, value.get(), "true or false");
        };
    }

    private Duration duration(String key, String envName, Duration defaultValue) {
        Optional<String> value = raw(key, envName);
        if (value.isEmpty()) {
            return defaultValue;
        }
        String text = value.get().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(text);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(value.get().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw invalid(key, envName, value.get(), "a duration such as 250ms, 3s, 10m or PT3S");
        }
    }

    /** A number of seconds, also accepted as a duration ({@code 15m}, {@code 1095d}). */
    private long seconds(String key, String envName, long defaultValue) {
        Optional<String> value = raw(key, envName);
        if (value.isEmpty()) {
            return defaultValue;
        }
        if (value.get().chars().allMatch(Character::isDigit)) {
            return Long.parseLong(value.get());
        }
        return duration(key, envName, Duration.ofSeconds(defaultValue)).toSeconds();
    }

    private long size(String key, String envName, long defaultValue) {
        Optional<String> value = raw(key, envName);
        if (value.isEmpty()) {
            return defaultValue;
        }
        Matcher m = SIZE.matcher(value.get().toLowerCase(Locale.ROOT).replace("_", ""));
        if (!m.matches()) {
            throw invalid(key, envName, value.get(), "a number of bytes such as 262144, 256KiB or 1GiB");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "kib", "kb", "k" -> amount * 1024;
            case "mib", "mb", "m" -> amount * 1024 * 1024;
            case "gib", "gb", "g" -> amount * 1024 * 1024 * 1024;
            default -> amount;
        };
    }

    private IllegalArgumentException invalid(String key, String envName, String value, String expected) {
        String source = env.containsKey(envName) ? "environment variable " + envName : key;
        return new IllegalArgumentException(source + " must be " + expected + ", was \"" + value + "\"");
    }
}
