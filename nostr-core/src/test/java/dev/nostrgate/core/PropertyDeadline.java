package dev.nostrgate.core;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * A deadline for every jqwik property, as junit-platform.properties gives every Jupiter test: a hang fails the
 * build instead of stalling it. jqwik is an engine of its own that reads no Jupiter timeout, a property cannot be
 * moved to a thread of its own (jqwik keeps its state in thread-locals), an interrupt stops no loop (and a failed
 * property is shrunk, run again), and Surefire's fork timeout does not reliably kill a hung fork. So a watchdog
 * ends the JVM when a property passes its deadline, after printing the property's stack; Surefire then fails the
 * build at once ("The forked VM terminated without properly saying goodbye"). Registered for every property of
 * every module with nostr-core's test-jar, in META-INF/services/net.jqwik.api.lifecycle.LifecycleHook.
 */
public final class PropertyDeadline implements AroundPropertyHook {
    /** Jupiter's junit.jupiter.execution.timeout.default (junit-platform.properties). */
    static final Duration DEADLINE = Duration.ofMinutes(5);

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        CountDownLatch finished = new CountDownLatch(1);
        Thread runner = Thread.currentThread();
        Thread.ofPlatform().daemon().name("jqwik-deadline").start(() -> {
            try {
                if (!finished.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                    endTheJvm(context.extendedLabel(), runner);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // nothing waits for this thread
            }
        });
        try {
            return property.execute();
        } finally {
            finished.countDown();
        }
    }

    private static void endTheJvm(String property, Thread runner) {
        StringBuilder report = new StringBuilder(String.format("%s still runs after its deadline of %d minutes; "
                + "ending the JVM. Its stack:%n", property, DEADLINE.toMinutes()));
        for (StackTraceElement frame : runner.getStackTrace()) {
            report.append("\tat ").append(frame).append(System.lineSeparator());
        }
        System.err.print(report);
        System.err.flush();
        System.exit(1); // not halt: the shutdown hooks pass the report on to Surefire
    }
}
