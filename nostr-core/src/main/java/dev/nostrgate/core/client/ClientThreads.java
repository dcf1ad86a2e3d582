package dev.nostrgate.core.client;

import java.net.http.HttpClient;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import javax.net.ssl.SSLContext;

/**
 * The threads every {@link RelayClient} in the JVM shares. A client owns no thread: its work runs as short tasks on
 * virtual threads, its timers on one shared timer thread, and its sockets on the JDK's HTTP client, which reads
 * all of them with one selector thread. So a process with a thousand clients (the gateway, at a thousand relays)
 * has the same handful of platform threads as one with a single client; a client that is waiting to reconnect
 * costs a timer entry.
 */
final class ClientThreads {
    /** Runs the clients' tasks, one virtual thread each; a client runs its tasks one at a time (SerialExecutor). */
    static final ExecutorService TASKS = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("nostr-client-", 0).factory());

    /** Deadlines, reconnect backoffs and keep-alive checks of every client; the work itself goes to TASKS. */
    static final ScheduledThreadPoolExecutor TIMER = timer();

    /** One HTTP client (one selector thread) per TLS context; the empty key is the JVM's default context. */
    private static final Map<Optional<SSLContext>, HttpClient> HTTP = new ConcurrentHashMap<>();

    private ClientThreads() {
    }

    /** The HTTP client that opens WebSockets with this TLS context (the JVM's default when empty). */
    static HttpClient http(Optional<SSLContext> tls) {
        return HTTP.computeIfAbsent(tls, ClientThreads::newHttpClient);
    }

    private static HttpClient newHttpClient(Optional<SSLContext> tls) {
        try {
            return HttpClient.newBuilder()
                    .executor(TASKS)
                    .sslContext(tls.isPresent() ? tls.get() : SSLContext.getDefault())
                    .build();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no default TLS context", e);
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "nostr-client-timer");
            thread.setDaemon(true); // an application that forgets close() can still exit
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true); // a cancelled request deadline does not stay queued for 10 s
        return timer;
    }
}
