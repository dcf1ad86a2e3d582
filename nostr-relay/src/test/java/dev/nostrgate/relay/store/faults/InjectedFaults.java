package dev.nostrgate.relay.store.faults;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The faults of one name ({@code faults.name} in the URL), shared by every connection opened with it: the switch
 * that arms them, what they injected, and the number that seeds each new connection's draws.
 *
 * <p>Disarmed until the test calls {@link #arm()}, so the schema migration and pool set-up run undisturbed and
 * faults hit only the code under test. A static registry because {@link java.sql.DriverManager} creates the driver,
 * not the test; test code only.
 */
public final class InjectedFaults {
    private static final ConcurrentMap<String, InjectedFaults> BY_NAME = new ConcurrentHashMap<>();
    private static final int MAX_STATEMENTS = 10_000;

    private final String name;
    private volatile boolean armed;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong serializationFailures = new AtomicLong();
    private final AtomicLong ambiguousBefore = new AtomicLong();
    private final AtomicLong ambiguousAfter = new AtomicLong();
    private final Set<String> statements = ConcurrentHashMap.newKeySet();

    private InjectedFaults(String name) {
        this.name = name;
    }

    /** The faults of connections opened with {@code faults.name=name}. */
    public static InjectedFaults named(String name) {
        return BY_NAME.computeIfAbsent(name, InjectedFaults::new);
    }

    public String name() {
        return name;
    }

    /** From now on, operations of these connections fail as their settings say. */
    public InjectedFaults arm() {
        armed = true;
        return this;
    }

    public InjectedFaults disarm() {
        armed = false;
        return this;
    }

    public boolean armed() {
        return armed;
    }

    /** 40001 errors injected. */
    public long serializationFailures() {
        return serializationFailures.get();
    }

    /** 40003 errors injected instead of the operation. */
    public long ambiguousBeforeOperation() {
        return ambiguousBefore.get();
    }

    /** 40003 errors injected after the operation took effect. */
    public long ambiguousAfterOperation() {
        return ambiguousAfter.get();
    }

    public long total() {
        return serializationFailures() + ambiguousBeforeOperation() + ambiguousAfterOperation();
    }

    /**
     * The distinct SQL texts executed while armed (at most {@value #MAX_STATEMENTS}): what the code under test sent,
     * for checks on the statements themselves (no table modified twice in one, say).
     */
    public Set<String> statements() {
        return Set.copyOf(statements);
    }

    void executed(String sql) {
        if (armed && statements.size() < MAX_STATEMENTS) {
            statements.add(sql);
        }
    }

    /** Connections opened under this name so far. */
    public long connections() {
        return connections.get();
    }

    long nextConnectionNumber() {
        return connections.getAndIncrement();
    }

    void count(Fault fault) {
        switch (fault) {
            case SERIALIZATION_FAILURE -> serializationFailures.incrementAndGet();
            case AMBIGUOUS_BEFORE -> ambiguousBefore.incrementAndGet();
            case AMBIGUOUS_AFTER -> ambiguousAfter.incrementAndGet();
        }
    }

    @Override
    public String toString() {
        return "faults " + name + (armed ? " (armed)" : " (disarmed)") + ": " + serializationFailures()
                + " x 40001, " + ambiguousBeforeOperation() + " x 40003 before, " + ambiguousAfterOperation()
                + " x 40003 after, over " + connections() + " connections";
    }
}
