package dev.nostrgate.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The options of one load run: the scenario, the relay, and every count, rate and time bound. Built once from the
 * command line; a value that exists is valid (checked in the compact constructor, naming the option).
 *
 * <p>Every run is bounded twice: by a count ({@code --events}, {@code --queries}, {@code --connections}) and by
 * time ({@code --duration}; for {@code idle}, {@code --hold} as well).
 */
record LoadOptions(
        Scenario scenario,
        URI url,
        int connections,
        int inFlight,
        int events,
        int queries,
        int warmup,
        int seedEvents,
        int subscribers,
        double rate,
        double connectRate,
        Duration duration,
        Duration hold,
        Duration pingInterval,
        Duration grace,
        Duration progress,
        int authors,
        int threads,
        OptionalLong pid,
        OptionalLong dbPid,
        Optional<Path> json,
        boolean allowRemote) {

    /** The scenarios, each with the options it reads besides the common ones. */
    enum Scenario {
        INGEST("connections", "in-flight", "events", "warmup"),
        QUERY("connections", "queries", "warmup", "seed-events", "in-flight"),
        FANOUT("subscribers", "events", "rate", "warmup"),
        IDLE("connections", "hold", "ping-interval");

        private final Set<String> options;

        Scenario(String... options) {
            this.options = Set.of(options);
        }

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Scenario> ofWord(String word) {
            for (Scenario scenario : values()) {
                if (scenario.word().equals(word)) {
                    return Optional.of(scenario);
                }
            }
            return Optional.empty();
        }
    }

    /** Options every scenario reads. */
    static final Set<String> COMMON = Set.of("url", "duration", "connect-rate", "grace", "progress", "authors",
            "threads", "json", "allow-remote", "pid", "db-pid");

    static final String URL = "ws://127.0.0.1:7447";
    static final int INGEST_CONNECTIONS = 16;
    static final int QUERY_CONNECTIONS = 16;
    static final int IDLE_CONNECTIONS = 10_000;
    static final int IN_FLIGHT = 1;
    static final int INGEST_EVENTS = 20_000;
    static final int FANOUT_EVENTS = 2_000;
    static final int FANOUT_WARMUP = 2_000;
    static final int QUERIES = 20_000;
    /** Queries run before the measured ones: the relay's and the generator's JIT take about this many to settle. */
    static final int WARMUP = 20_000;
    static final int SEED_EVENTS = 2_000;
    static final int SUBSCRIBERS = 200;
    static final double RATE = 200;
    static final double CONNECT_RATE = 1_000;
    static final Duration DURATION = Duration.ofSeconds(120);
    static final Duration HOLD = Duration.ofSeconds(30);
    static final Duration PING_INTERVAL = Duration.ofSeconds(20);
    static final Duration GRACE = Duration.ofSeconds(10);
    static final Duration PROGRESS = Duration.ofSeconds(5);
    static final int AUTHORS = 1_000;
    static final int THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());

    LoadOptions {
        check(url.getScheme() != null && url.getScheme().equals("ws"),
                "--url must be ws://host:port (wss is not supported), was " + url);
        check(url.getHost() != null, "--url needs a host, was " + url);
        check(allowRemote || isLoopback(url.getHost()), "--url " + url + " is not a loopback address; the load "
                + "generator targets 127.0.0.1 unless --allow-remote is given (and the relay is yours)");
        check(connections >= 1, "--connections must be at least 1, was " + connections);
        check(inFlight >= 1, "--in-flight must be at least 1, was " + inFlight);
        check(events >= 1, "--events must be at least 1, was " + events);
        check(queries >= 1, "--queries must be at least 1, was " + queries);
        check(warmup >= 0, "--warmup must not be negative, was " + warmup);
        check(seedEvents >= 0, "--seed-events must not be negative, was " + seedEvents);
        check(subscribers >= 1, "--subscribers must be at least 1, was " + subscribers);
        check(rate > 0, "--rate must be positive (events per second, as 200 or 200/s), was " + rate);
        check(connectRate > 0, "--connect-rate must be positive (connections per second), was " + connectRate);
        check(isPositive(duration), "--duration must be positive (as 30s, 2m, 500ms), was " + duration);
        check(isPositive(hold), "--hold must be positive, was " + hold);
        check(isPositive(pingInterval), "--ping-interval must be positive, was " + pingInterval);
        check(isPositive(grace), "--grace must be positive, was " + grace);
        check(isPositive(progress), "--progress must be positive, was " + progress);
        check(authors >= 1, "--authors must be at least 1, was " + authors);
        check(threads >= 1, "--threads must be at least 1, was " + threads);
        check(pid.isEmpty() || pid.getAsLong() > 0, "--pid must be a process id, was " + pid);
        check(dbPid.isEmpty() || dbPid.getAsLong() > 0, "--db-pid must be a process id, was " + dbPid);
    }

    /**
     * Reads {@code --name value} pairs (a name followed by another name or nothing is a flag); an option the
     * scenario does not read is refused, naming those it does.
     */
    static LoadOptions parse(Scenario scenario, List<String> args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String key = args.get(i);
            check(key.startsWith("--"), "unexpected argument '" + key + "' (options start with --)");
            String name = key.substring(2);
            check(COMMON.contains(name) || scenario.options.contains(name), "--" + name + " is not an option of "
                    + scenario.word() + "; it reads --" + String.join(", --", scenario.options) + " and --"
                    + String.join(", --", COMMON.stream().sorted().toList()));
            boolean flag = i + 1 >= args.size() || args.get(i + 1).startsWith("--");
            check(given.put(name, flag ? "true" : args.get(++i)) == null, "--" + name + " given twice");
        }
        Values values = new Values(given);
        int defaultConnections = switch (scenario) {
            case INGEST -> INGEST_CONNECTIONS;
            case QUERY -> QUERY_CONNECTIONS;
            case IDLE -> IDLE_CONNECTIONS;
            case FANOUT -> 1;
        };
        return new LoadOptions(
                scenario,
                values.url("url", URL),
                values.integer("connections", defaultConnections),
                values.integer("in-flight", IN_FLIGHT),
                values.integer("events", scenario == Scenario.FANOUT ? FANOUT_EVENTS : INGEST_EVENTS),
                values.integer("queries", QUERIES),
                values.integer("warmup", scenario == Scenario.FANOUT ? FANOUT_WARMUP : WARMUP),
                values.integer("seed-events", SEED_EVENTS),
                values.integer("subscribers", SUBSCRIBERS),
                values.rate("rate", RATE),
                values.rate("connect-rate", CONNECT_RATE),
                values.duration("duration", DURATION),
                values.duration("hold", HOLD),
                values.duration("ping-interval", PING_INTERVAL),
                values.duration("grace", GRACE),
                values.duration("progress", PROGRESS),
                values.integer("authors", AUTHORS),
                values.integer("threads", THREADS),
                given.containsKey("pid") ? OptionalLong.of(values.integer("pid", 0)) : OptionalLong.empty(),
                given.containsKey("db-pid") ? OptionalLong.of(databasePid(given.get("db-pid")))
                        : OptionalLong.empty(),
                Optional.ofNullable(given.get("json")).map(Path::of),
                given.containsKey("allow-remote") && values.flag("allow-remote"));
    }

    /** The options as given or defaulted, for the report: only those the scenario reads. */
    Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", url.toString());
        switch (scenario) {
            case INGEST -> {
                out.put("connections", connections);
                out.put("in-flight", inFlight);
                out.put("events", events);
                out.put("warmup", warmup);
            }
            case QUERY -> {
                out.put("connections", connections);
                out.put("queries", queries);
                out.put("warmup", warmup);
                out.put("seed-events", seedEvents);
            }
            case FANOUT -> {
                out.put("subscribers", subscribers);
                out.put("events", events);
                out.put("warmup", warmup);
                out.put("rate", rate);
            }
            case IDLE -> {
                out.put("connections", connections);
                out.put("hold", format(hold));
                out.put("ping-interval", format(pingInterval));
                out.put("connect-rate", connectRate);
            }
        }
        out.put("duration", format(duration));
        out.put("threads", threads);
        return out;
    }

    /** A duration as it is written on the command line: {@code 500ms}, {@code 30s}, {@code 2m}. */
    static String format(Duration duration) {
        if (duration.toMillisPart() != 0 || duration.isZero()) {
            return duration.toMillis() + "ms";
        }
        long seconds = duration.toSeconds();
        return seconds % 60 == 0 && seconds > 0 ? seconds / 60 + "m" : seconds + "s";
    }

    /** Reads {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}; a bare number is seconds. */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace("_", "");
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long number = Long.parseLong(t.replaceAll("[smh]$", ""));
            return switch (t.charAt(t.length() - 1)) {
                case 'm' -> Duration.ofMinutes(number);
                case 'h' -> Duration.ofHours(number);
                default -> Duration.ofSeconds(number);
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (write 30s, 500ms, 2m or 1h)");
        }
    }

    /**
     * Reads {@code --db-pid}: the pid of a PostgreSQL postmaster, or its {@code postmaster.pid} file, or the data
     * directory that holds that file (PostgreSQL writes it there while it runs, its pid on the first line).
     */
    static long databasePid(String text) {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(text);
        }
        Path given = Path.of(text);
        Path file = Files.isDirectory(given) ? given.resolve("postmaster.pid") : given;
        String firstLine;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            firstLine = String.valueOf(reader.readLine()).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("--db-pid: cannot read " + file + " (" + e.getMessage() + "); give "
                    + "the postmaster's pid, its postmaster.pid, or the data directory of a running PostgreSQL");
        }
        try {
            return Long.parseLong(firstLine);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--db-pid: the first line of " + file + " is not a pid: '"
                    + firstLine + "'");
        }
    }

    /** Reads {@code 200}, {@code 200/s}, {@code 12000/m}: per second. */
    static double parseRate(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace("_", "");
        double per = 1;
        if (t.endsWith("/s")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("/m")) {
            t = t.substring(0, t.length() - 2);
            per = 60;
        }
        try {
            return Double.parseDouble(t) / per;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a rate: '" + text + "' (write 200, 200/s or 12000/m)");
        }
    }

    private record Values(Map<String, String> given) {
        int integer(String name, int defaultValue) {
            String text = given.get(name);
            if (text == null) {
                return defaultValue;
            }
            try {
                return Integer.parseInt(text.replace("_", "").replace(",", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a whole number, was '" + text + "'");
            }
        }

        double rate(String name, double defaultValue) {
            String text = given.get(name);
            try {
                return text == null ? defaultValue : parseRate(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--" + name + ": " + e.getMessage());
            }
        }

        Duration duration(String name, Duration defaultValue) {
            String text = given.get(name);
            try {
                return text == null ? defaultValue : parseDuration(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--" + name + ": " + e.getMessage());
            }
        }

        URI url(String name, String defaultValue) {
            String text = given.getOrDefault(name, defaultValue);
            try {
                return new URI(text);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("--" + name + " is not a URL: " + e.getMessage());
            }
        }

        boolean flag(String name) {
            String text = given.get(name);
            check(text.equals("true") || text.equals("false"), "--" + name + " is a flag, was given '" + text + "'");
            return text.equals("true");
        }
    }

    private static boolean isPositive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
