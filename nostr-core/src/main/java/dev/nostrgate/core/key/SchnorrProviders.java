package dev.nostrgate.core.key;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the {@link Schnorr} provider once per JVM.
 *
 * <p>The system property {@value #PROPERTY} (or the environment variable {@value #ENVIRONMENT}) selects it:
 * {@code auto} (the default: native if it loads, else Java), {@code native} (fail if it does not load) or
 * {@code java}.
 */
public final class SchnorrProviders {
    public static final String PROPERTY = "nostr.schnorr";
    public static final String ENVIRONMENT = "NOSTR_SCHNORR";

    private static final Logger log = LoggerFactory.getLogger(SchnorrProviders.class);

    static final Schnorr DEFAULT = choose(configuredChoice());

    private SchnorrProviders() {
    }

    /**
     * The provider for a choice of {@code auto}, {@code native} or {@code java}.
     *
     * @throws IllegalArgumentException for another choice, or for {@code native} when the library does not load
     */
    public static Schnorr choose(String choice) {
        return switch (choice.toLowerCase(Locale.ROOT)) {
            case "java" -> new BouncyCastleSchnorr();
            case "native" -> loadNative();
            case "auto" -> {
                try {
                    yield loadNative();
                } catch (IllegalArgumentException unavailable) {
                    log.warn("{}; using the pure-Java Schnorr provider (about three times slower)",
                            unavailable.getMessage());
                    yield new BouncyCastleSchnorr();
                }
            }
            default -> throw new IllegalArgumentException(
                    PROPERTY + " must be auto, native or java, was '" + choice + "'");
        };
    }

    private static Schnorr loadNative() {
        try {
            return new NativeSchnorr();
        } catch (LinkageError | RuntimeException e) {
            throw new IllegalArgumentException("libsecp256k1 (JNI) could not be loaded on "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + ": " + e, e);
        }
    }

    private static String configuredChoice() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return property.trim();
        }
        String environment = System.getenv(ENVIRONMENT);
        return environment != null && !environment.isBlank() ? environment.trim() : "auto";
    }
}
