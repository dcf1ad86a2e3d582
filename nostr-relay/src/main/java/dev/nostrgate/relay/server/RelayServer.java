package dev.nostrgate.relay.server;

import dev.nostrgate.relay.config.RelayConfig;
import dev.nostrgate.relay.ingest.IngestLanes;
import dev.nostrgate.relay.ingest.Ingester;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The IO stage: binds the port, serves it with Netty event loops (epoll on Linux, NIO elsewhere), and stops. The
 * event loops only decode and encode frames and move bytes; everything else happens on the stages' own threads.
 */
public final class RelayServer {
    /** Netty's buffer per connection: writes stop at the high mark; our {@link Outbound} queue holds the rest. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(128 * 1024, 512 * 1024);

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    private final String transport;

    private RelayServer(EventLoopGroup boss, EventLoopGroup workers, Channel serverChannel, String transport) {
        this.boss = boss;
        this.workers = workers;
        this.serverChannel = serverChannel;
        this.transport = transport;
    }

    /**
     * Binds and serves.
     *
     * @throws IllegalStateException if the port cannot be bound (in use, or not allowed)
     */
    public static RelayServer start(RelayConfig config, Connections connections, RelayInfo relayInfo,
                                    PrometheusMeterRegistry registry, Readiness readiness, IngestLanes lanes,
                                    Ingester ingester) {
        boolean epoll = Epoll.isAvailable();
        int ioThreads = config.server().ioThreads();
        EventLoopGroup boss = epoll ? new EpollEventLoopGroup(1, new DefaultThreadFactory("accept"))
                : new NioEventLoopGroup(1, new DefaultThreadFactory("accept"));
        EventLoopGroup workers = epoll ? new EpollEventLoopGroup(ioThreads, new DefaultThreadFactory("io"))
                : new NioEventLoopGroup(ioThreads, new DefaultThreadFactory("io"));
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        try {
            Channel channel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                    .childHandler(new RelayChannelInitializer(config, connections, relayInfo, registry, readiness,
                            lanes, ingester))
                    .bind(new InetSocketAddress(config.server().bind(), config.server().port()))
                    .syncUninterruptibly()
                    .channel();
            return new RelayServer(boss, workers, channel, epoll ? "epoll" : "nio");
        } catch (Exception e) { // bind() rethrows a java.net.BindException, undeclared
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen on " + config.server().bind() + ":"
                    + config.server().port() + ": " + e.getMessage()
                    + " (is another relay running there? choose another relay.port / NOSTR_RELAY_PORT)", e);
        }
    }

    /** The port listened on (the one picked when configured as 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** "epoll" or "nio". */
    public String transport() {
        return transport;
    }

    /** Closes the listening socket: no new connections; open ones go on. */
    public void stopAccepting() {
        serverChannel.close().syncUninterruptibly();
    }

    /** Stops the event loops (open connections are cut). */
    public void stop() {
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
