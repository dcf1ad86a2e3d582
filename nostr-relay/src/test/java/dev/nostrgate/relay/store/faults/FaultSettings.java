package dev.nostrgate.relay.store.faults;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@code jdbc:faults:postgresql:} URL asks for: the fraction of operations that fail with a serialization
 * failure (SQLSTATE 40001), the fraction whose commit fails with an ambiguous result (40003), the seed of the
 * draws, and the name under which {@link InjectedFaults} arms and counts them.
 *
 * <p>In the URL: {@code faults.name}, {@code faults.seed}, {@code faults.serialization}, {@code faults.ambiguous};
 * the driver removes them before handing the URL to pgjdbc. A misspelt {@code faults.*} key is refused rather
 * than silently injecting nothing.
 */
public record FaultSettings(String name, long seed, double serialization, double ambiguous) {
    /** What a faults URL starts with; the rest is a PostgreSQL URL without its {@code jdbc:}. */
    public static final String PREFIX = "jdbc:faults:postgresql:";
    private static final String POSTGRESQL = "jdbc:postgresql:";
    private static final String NAME = "faults.name";
    private static final String SEED = "faults.seed";
    private static final String SERIALIZATION = "faults.serialization";
    private static final String AMBIGUOUS = "faults.ambiguous";
    private static final Set<String> KEYS = Set.of(NAME, SEED, SERIALIZATION, AMBIGUOUS);

    public FaultSettings {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(NAME + " must be letters, digits, '.', '_' or '-', was '" + name + "'");
        }
        checkFraction(SERIALIZATION, serialization);
        checkFraction(AMBIGUOUS, ambiguous);
        if (serialization + ambiguous > 1) {
            throw new IllegalArgumentException(SERIALIZATION + " + " + AMBIGUOUS + " must be at most 1, was "
                    + (serialization + ambiguous));
        }
    }

    private static void checkFraction(String key, double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException(key + " must be a fraction in 0..1, was " + fraction);
        }
    }

    /** {@code jdbc:postgresql://host/db?x=y} as {@code jdbc:faults:postgresql://host/db?x=y&faults.*=...}. */
    public String url(String postgresqlUrl) {
        if (!postgresqlUrl.startsWith(POSTGRESQL)) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + postgresqlUrl);
        }
        return PREFIX + postgresqlUrl.substring(POSTGRESQL.length()) + (postgresqlUrl.contains("?") ? "&" : "?")
                + NAME + "=" + name + "&" + SEED + "=" + seed + "&" + SERIALIZATION + "=" + serialization
                + "&" + AMBIGUOUS + "=" + ambiguous;
    }

    /** The settings in a faults URL; a missing key means seed 0, fraction 0, and the name {@code seed-<seed>}. */
    static FaultSettings of(String faultsUrl) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String parameter : parameters(faultsUrl)) {
            if (parameter.startsWith("faults.")) {
                String[] keyValue = parameter.split("=", 2);
                if (!KEYS.contains(keyValue[0]) || keyValue.length < 2) {
                    throw new IllegalArgumentException("unknown or empty '" + parameter + "' in " + faultsUrl
                            + " (known: " + KEYS + ")");
                }
                parameters.put(keyValue[0], keyValue[1]);
            }
        }
        long seed = Long.parseLong(parameters.getOrDefault(SEED, "0"));
        return new FaultSettings(parameters.getOrDefault(NAME, "seed-" + seed), seed,
                Double.parseDouble(parameters.getOrDefault(SERIALIZATION, "0")),
                Double.parseDouble(parameters.getOrDefault(AMBIGUOUS, "0")));
    }

    /** The URL for pgjdbc: {@code jdbc:postgresql:}, without the {@code faults.*} parameters. */
    static String postgresqlUrl(String faultsUrl) {
        int query = faultsUrl.indexOf('?');
        String base = POSTGRESQL + faultsUrl.substring(PREFIX.length(), query < 0 ? faultsUrl.length() : query);
        List<String> kept = new ArrayList<>();
        for (String parameter : parameters(faultsUrl)) {
            if (!parameter.startsWith("faults.")) {
                kept.add(parameter);
            }
        }
        return kept.isEmpty() ? base : base + "?" + String.join("&", kept);
    }

    private static List<String> parameters(String url) {
        int query = url.indexOf('?');
        if (query < 0 || query == url.length() - 1) {
            return List.of();
        }
        return List.of(url.substring(query + 1).split("&"));
    }
}
