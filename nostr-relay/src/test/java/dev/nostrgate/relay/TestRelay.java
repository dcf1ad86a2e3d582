package dev.nostrgate.relay;

import dev.nostrgate.relay.config.RelayConfig;
import dev.nostrgate.relay.store.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A whole relay in this JVM for one test class: port 0 on 127.0.0.1, a fresh schema on the local PostgreSQL, and
 * limits loose enough for tests unless a test tightens them.
 */
public final class TestRelay implements AutoCloseable {
    private final TestDatabase database;
    private final Relay relay;
    private final boolean ownsDatabase;

    private TestRelay(TestDatabase database, Relay relay, boolean ownsDatabase) {
        this.database = database;
        this.relay = relay;
        this.ownsDatabase = ownsDatabase;
    }

    /** The configuration tests start from: loopback, any port, fast writer flushes, short shutdown. */
    public static RelayConfig baseConfig(TestDatabase database) {
        RelayConfig d = RelayConfig.DEFAULTS;
        return d.withServer(d.server().withBind("127.0.0.1").withPort(0).withShutdownTimeout(Duration.ofSeconds(5)))
                .withDatabase(d.database().withUrl(database.url(), TestDatabase.USER, ""))
                .withLimits(d.limits().toBuilder().eventsPerSecond(10_000).eventBurst(10_000).build());
    }

    public static TestRelay start() {
        return start(config -> config);
    }

    public static TestRelay start(UnaryOperator<RelayConfig> customize) {
        TestDatabase database = TestDatabase.create();
        try {
            return new TestRelay(database, Relay.start(customize.apply(baseConfig(database))), true);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** Another relay on an existing test database (several replicas). */
    public static TestRelay startOn(TestDatabase database, UnaryOperator<RelayConfig> customize) {
        return new TestRelay(database, Relay.start(customize.apply(baseConfig(database)), Clock.systemUTC()), false);
    }

    public Relay relay() {
        return relay;
    }

    public int port() {
        return relay.port();
    }

    public String url() {
        return "ws://127.0.0.1:" + port();
    }

    public TestDatabase database() {
        return database;
    }

    public TestClient connect() {
        return TestClient.connect(url());
    }

    /** The value of a counter or gauge as /metrics would show it (0 if it has not been registered yet). */
    public double meter(String name, String... tags) {
        var search = relay.registry().find(name).tags(tags);
        if (search.counter() != null) {
            return search.counter().count();
        }
        if (search.gauge() != null) {
            return search.gauge().value();
        }
        return 0;
    }

    @Override
    public void close() {
        relay.close();
        if (ownsDatabase) {
            database.close();
        }
    }
}
