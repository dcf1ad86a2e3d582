package dev.nostrgate.benchmarks.catchup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of an upstream port that counts the bytes each way: what a gateway really
 * receives from a relay (NIP-11, WebSocket frames and all), whatever path its catch-up takes.
 */
final class CountingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final AtomicLong toClient = new AtomicLong();
    private final AtomicLong toUpstream = new AtomicLong();
    private volatile boolean refusing;

    CountingProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().name("counting-proxy").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Bytes from the upstream to the clients since the last {@link #reset()}. */
    long bytesToClient() {
        return toClient.get();
    }

    long bytesToUpstream() {
        return toUpstream.get();
    }

    /** While refusing, a connection is closed as soon as it is accepted: the upstream looks down. */
    void refusing(boolean value) {
        refusing = value;
    }

    void reset() {
        toClient.set(0);
        toUpstream.set(0);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (refusing) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                Thread.ofVirtual().start(() -> pump(client, upstream, toUpstream));
                Thread.ofVirtual().start(() -> pump(upstream, client, toClient));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void pump(Socket from, Socket to, AtomicLong counter) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                out.write(buffer, 0, read);
                counter.addAndGet(read);
            }
        } catch (IOException e) {
            // one side closed: close both below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
