package dev.nostrgate.relay.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A nested settings record touched before RelayConfig itself must not leave RelayConfig.DEFAULTS broken. */
class RelayConfigInitializationTest {

    @Test
    void defaultsAreCompleteWhateverClassIsInitializedFirst() throws Exception {
        // a fresh class loader, so the order of initialization is the one this test chooses
        var urls = new java.net.URL[] {RelayConfig.class.getProtectionDomain().getCodeSource().getLocation()};
        try (var loader = new java.net.URLClassLoader(urls, RelayConfig.class.getClassLoader().getParent()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("dev.nostrgate.relay.config.")) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> found = findLoadedClass(name);
                        return found != null ? found : findClass(name);
                    }
                }
                return RelayConfig.class.getClassLoader().loadClass(name);
            }
        }) {
            Class<?> info = Class.forName("dev.nostrgate.relay.config.RelayConfig$Info", true, loader);
            assertThat(info.getField("DEFAULTS").get(null)).isNotNull();
            Class<?> config = Class.forName("dev.nostrgate.relay.config.RelayConfig", true, loader);
            Object defaults = config.getField("DEFAULTS").get(null);
            assertThat(defaults).isNotNull();
            assertThat(config.getMethod("info").invoke(defaults)).isNotNull();
        }
    }
}
