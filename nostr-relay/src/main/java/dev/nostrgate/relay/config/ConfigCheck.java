package dev.nostrgate.relay.config;

/**
 * The one check of every configuration record. It lives apart from {@link RelayConfig} on purpose: a nested record
 * calling a static method of RelayConfig would initialize RelayConfig, whose {@code DEFAULTS} read the nested
 * records' {@code DEFAULTS}, still null if the nested record was the one being initialized first.
 */
final class ConfigCheck {
    private ConfigCheck() {
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
