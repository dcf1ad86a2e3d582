package dev.nostrgate.core.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What every {@link RelayClient} in the JVM shares: one group of event loop threads ({@code nostr-client-io}) for
 * all their sockets, and one timer ({@code nostr-client-timer}) for their deadlines, reconnect backoffs and
 * keep-alive. A thousand clients cost a thousand sockets and timers, not thousands of threads; a client that is
 * not connected costs its pending timer. Daemon threads, made on first use, kept for the JVM's life.
 */
final class ClientRuntime {
    /** Sockets are cheap for one loop; more than a few loops only help a client of very busy relays. */
    private static final int IO_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private static final ClientRuntime SHARED = new ClientRuntime();

    private final EventLoopGroup io = new NioEventLoopGroup(IO_THREADS,
            new DefaultThreadFactory("nostr-client-io", true));
    /** 10 ms ticks: deadlines of a few ms in tests still fire on time, and an idle wheel costs next to nothing. */
    private final Timer timer = new HashedWheelTimer(new DefaultThreadFactory("nostr-client-timer", true), 10,
            TimeUnit.MILLISECONDS, 512);

    private ClientRuntime() {
    }

    static ClientRuntime shared() {
        return SHARED;
    }

    EventLoopGroup io() {
        return io;
    }

    /** Runs the task (which must not block: hand work to an executor) after the delay. */
    Timeout schedule(Runnable task, Duration delay) {
        return timer.newTimeout(timeout -> task.run(), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    }
}
