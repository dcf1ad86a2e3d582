package dev.nostrgate.relay.config;

import dev.nostrgate.core.message.SubscriptionIds;
import dev.nostrgate.relay.store.DatabaseConfig;
import dev.nostrgate.relay.store.StoreConfig;
import dev.nostrgate.relay.store.WriterConfig;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a relay is told, in one immutable value: built once in {@code main} ({@link RelayConfigReader}) and
 * passed down. Each nested record checks its values in its compact constructor, naming the key and the fix, so an
 * invalid configuration cannot exist and a relay with one refuses to start.
 *
 * @param server where to listen and how many threads each stage gets
 * @param info what the NIP-11 document says about the relay
 * @param limits what one client may do; every one is advertised in NIP-11
 * @param auth NIP-42
 * @param database where events live
 * @param writer the single writer's group commit
 * @param query the stored part of subscriptions
 * @param rabbit several replicas on one database
 * @param proxies which peers may say who the client is
 * @param negentropy NIP-77 set reconciliation
 */
public record RelayConfig(Server server, Info info, Limits limits, Auth auth, DatabaseConfig database,
                          WriterConfig writer, Query query, Rabbit rabbit, Proxies proxies, Negentropy negentropy) {

    public static final RelayConfig DEFAULTS = new RelayConfig(Server.DEFAULTS, Info.DEFAULTS, Limits.DEFAULTS,
            Auth.DEFAULTS, DatabaseConfig.DEFAULTS, WriterConfig.DEFAULTS, Query.DEFAULTS, Rabbit.DEFAULTS,
            Proxies.NONE, Negentropy.DEFAULTS);

    public RelayConfig {
        ConfigCheck.check(server != null && info != null && limits != null && auth != null && database != null && writer != null
                && query != null && rabbit != null && proxies != null && negentropy != null, "every configuration section must be given");
    }

    /** The store's view: the {@code limit} cap, the per-query time budget, and this relay's URL (NIP-62). */
    public StoreConfig store() {
        return new StoreConfig(limits.maxLimit(), query.timeout(), server.publicUrl());
    }

    public RelayConfig withServer(Server value) {
        return new RelayConfig(value, info, limits, auth, database, writer, query, rabbit, proxies, negentropy);
    }

    public RelayConfig withInfo(Info value) {
        return new RelayConfig(server, value, limits, auth, database, writer, query, rabbit, proxies, negentropy);
    }

    public RelayConfig withLimits(Limits value) {
        return new RelayConfig(server, info, value, auth, database, writer, query, rabbit, proxies, negentropy);
    }

    public RelayConfig withAuth(Auth value) {
        return new RelayConfig(server, info, limits, value, database, writer, query, rabbit, proxies, negentropy);
    }

    public RelayConfig withDatabase(DatabaseConfig value) {
        return new RelayConfig(server, info, limits, auth, value, writer, query, rabbit, proxies, negentropy);
    }

    public RelayConfig withWriter(WriterConfig value) {
        return new RelayConfig(server, info, limits, auth, database, value, query, rabbit, proxies, negentropy);
    }

    public RelayConfig withQuery(Query value) {
        return new RelayConfig(server, info, limits, auth, database, writer, value, rabbit, proxies, negentropy);
    }

    public RelayConfig withRabbit(Rabbit value) {
        return new RelayConfig(server, info, limits, auth, database, writer, query, value, proxies, negentropy);
    }

    public RelayConfig withNegentropy(Negentropy value) {
        return new RelayConfig(server, info, limits, auth, database, writer, query, rabbit, proxies, value);
    }

    public RelayConfig withProxies(Proxies value) {
        return new RelayConfig(server, info, limits, auth, database, writer, query, rabbit, value, negentropy);
    }

    /**
     * Where and how the relay listens.
     *
     * @param bind the address to listen on ({@code 0.0.0.0}: all IPv4 interfaces, {@code ::} all)
     * @param port 0..65535; 0 picks a free port (tests)
     * @param publicUrl the URL clients use ({@code wss://relay.example.com}); NIP-42 {@code relay} tags must name it.
     *     Empty: the relay judges by the {@code Host} header of each connection's upgrade request
     * @param ioThreads Netty event loops; 0 lets Netty choose (twice the cores)
     * @param ingestThreads ingest lanes (parse, verify); a connection always uses the same lane
     * @param shutdownTimeout how long a graceful stop may take before sockets are cut
     * @param compression offer permessage-deflate (RFC 7692) to clients that ask for it: less bandwidth, more CPU
     * @param idleTimeout a connection from which nothing has been read for this long is closed (a dead peer); the
     *     relay pings a connection after half of it without a read, so a live client always answers in time
     * @param readOnly serve REQ and COUNT only: every EVENT is answered {@code OK false "restricted: ..."} (a relay
     *     serving a store that another program fills, such as the gateway's aggregate)
     */
    public record Server(String bind, int port, Optional<String> publicUrl, int ioThreads, int ingestThreads,
                         Duration shutdownTimeout, boolean compression, Duration idleTimeout, boolean readOnly) {
        public static final Server DEFAULTS = new Server("0.0.0.0", 7447, Optional.empty(), 0,
                Math.max(1, Runtime.getRuntime().availableProcessors()), Duration.ofSeconds(10), true,
                Duration.ofMinutes(2), false);

        public Server {
            ConfigCheck.check(bind != null && !bind.isBlank(), "relay.bind must be an address such as 0.0.0.0 or 127.0.0.1");
            ConfigCheck.check(port >= 0 && port <= 65_535, "relay.port must be 0..65535 (0 = any free port), was " + port);
            ConfigCheck.check(publicUrl != null, "relay.publicUrl must not be null (leave it unset for none)");
            publicUrl.ifPresent(url -> {
                URI uri = parseUri(url);
                ConfigCheck.check(uri != null && ("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme()))
                                && uri.getHost() != null,
                        "relay.publicUrl must be a ws:// or wss:// URL such as wss://relay.example.com, was " + url);
            });
            ConfigCheck.check(ioThreads >= 0 && ioThreads <= 256, "relay.ioThreads must be 0..256 (0 = Netty's choice), was "
                    + ioThreads);
            ConfigCheck.check(ingestThreads >= 1 && ingestThreads <= 256, "relay.ingestThreads must be 1..256, was "
                    + ingestThreads);
            ConfigCheck.check(shutdownTimeout != null && !shutdownTimeout.isNegative(),
                    "relay.shutdownTimeout must be 0 or more, such as 10s");
            ConfigCheck.check(idleTimeout != null && idleTimeout.toMillis() >= 1_000,
                    "relay.idleTimeout must be at least 1s, such as 2m");
        }

        public Server withPort(int value) {
            return new Server(bind, value, publicUrl, ioThreads, ingestThreads, shutdownTimeout, compression,
                    idleTimeout, readOnly);
        }

        public Server withBind(String value) {
            return new Server(value, port, publicUrl, ioThreads, ingestThreads, shutdownTimeout, compression,
                    idleTimeout, readOnly);
        }

        public Server withPublicUrl(String value) {
            return new Server(bind, port, Optional.of(value), ioThreads, ingestThreads, shutdownTimeout, compression,
                    idleTimeout, readOnly);
        }

        public Server withIdleTimeout(Duration value) {
            return new Server(bind, port, publicUrl, ioThreads, ingestThreads, shutdownTimeout, compression, value,
                    readOnly);
        }

        public Server withShutdownTimeout(Duration value) {
            return new Server(bind, port, publicUrl, ioThreads, ingestThreads, value, compression, idleTimeout,
                    readOnly);
        }

        public Server withReadOnly(boolean value) {
            return new Server(bind, port, publicUrl, ioThreads, ingestThreads, shutdownTimeout, compression,
                    idleTimeout, value);
        }
    }

    /**
     * What the NIP-11 document says about the relay (each optional field is left out when empty).
     *
     * @param pubkey the operator's pubkey, 64 lowercase hex characters, or empty
     */
    public record Info(String name, String description, String pubkey, String contact, String icon) {
        public static final Info DEFAULTS = new Info("nostrgate relay", "A Nostr relay (NIP-01) in Java.", "", "",
                "");

        public Info {
            ConfigCheck.check(name != null && description != null && pubkey != null && contact != null && icon != null,
                    "info fields must not be null (use an empty string)");
            ConfigCheck.check(pubkey.isEmpty() || dev.nostrgate.core.Hex.isLowercaseHex(pubkey, 64),
                    "info.pubkey must be 64 lowercase hex characters (a hex pubkey, not an npub), was " + pubkey);
        }
    }

    /**
     * What one client may do. Every limit here is advertised in the NIP-11 {@code limitation} object.
     *
     * @param maxMessageBytes longest WebSocket message the relay reads (NIP-11 {@code max_message_length})
     * @param maxSubscriptions open subscriptions per connection ({@code max_subscriptions})
     * @param maxFilters filters per REQ or COUNT ({@code max_filters})
     * @param maxLimit the cap on a filter's {@code limit}, and the limit of a filter with none
     *     ({@code max_limit}, {@code default_limit})
     * @param maxSubidLength longest subscription id ({@code max_subid_length}); NIP-01 allows at most 64
     * @param maxEventTags tags per event ({@code max_event_tags})
     * @param maxContentLength characters (Unicode code points, as NIP-11 counts) of an event's content
     *     ({@code max_content_length})
     * @param createdAtLowerLimit how many seconds in the past an event's created_at may be
     *     ({@code created_at_lower_limit})
     * @param createdAtUpperLimit how many seconds in the future an event's created_at may be
     *     ({@code created_at_upper_limit})
     * @param maxConnectionsPerIp open connections from one IP address
     * @param eventsPerSecond events one connection may publish per second, sustained (token bucket rate)
     * @param eventBurst events one connection may publish at once (token bucket size)
     * @param maxOutboundBytes bytes waiting to be sent to one connection; a client that lets more pile up is told
     *     and closed (not advertised: NIP-11 has no field for it)
     */
    public record Limits(int maxMessageBytes, int maxSubscriptions, int maxFilters, int maxLimit, int maxSubidLength,
                         int maxEventTags, int maxContentLength, long createdAtLowerLimit, long createdAtUpperLimit,
                         int maxConnectionsPerIp, int eventsPerSecond, int eventBurst, long maxOutboundBytes) {
        public static final Limits DEFAULTS = new Limits(262_144, 20, 20, 500, 64, 2_000, 65_536,
                Duration.ofDays(3 * 365).toSeconds(), Duration.ofMinutes(15).toSeconds(), 100, 50, 200,
                8L * 1024 * 1024);

        public Limits {
            ConfigCheck.check(maxMessageBytes >= 1_024 && maxMessageBytes <= 16 * 1024 * 1024,
                    "limits.maxMessageBytes must be 1024..16777216, was " + maxMessageBytes);
            ConfigCheck.check(maxSubscriptions >= 1 && maxSubscriptions <= 10_000,
                    "limits.maxSubscriptions must be 1..10000, was " + maxSubscriptions);
            ConfigCheck.check(maxFilters >= 1 && maxFilters <= 1_000, "limits.maxFilters must be 1..1000, was " + maxFilters);
            ConfigCheck.check(maxLimit >= 1 && maxLimit <= 100_000, "limits.maxLimit must be 1..100000, was " + maxLimit);
            ConfigCheck.check(maxSubidLength >= 1 && maxSubidLength <= SubscriptionIds.MAX_LENGTH,
                    "limits.maxSubidLength must be 1.." + SubscriptionIds.MAX_LENGTH + " (NIP-01's bound), was "
                            + maxSubidLength);
            ConfigCheck.check(maxEventTags >= 1, "limits.maxEventTags must be at least 1, was " + maxEventTags);
            ConfigCheck.check(maxContentLength >= 1, "limits.maxContentLength must be at least 1, was " + maxContentLength);
            ConfigCheck.check(createdAtLowerLimit >= 1, "limits.createdAtLowerLimit must be at least 1 second, was "
                    + createdAtLowerLimit);
            ConfigCheck.check(createdAtUpperLimit >= 1, "limits.createdAtUpperLimit must be at least 1 second, was "
                    + createdAtUpperLimit);
            ConfigCheck.check(maxConnectionsPerIp >= 1, "limits.maxConnectionsPerIp must be at least 1, was "
                    + maxConnectionsPerIp);
            ConfigCheck.check(eventsPerSecond >= 1, "limits.eventsPerSecond must be at least 1, was " + eventsPerSecond);
            ConfigCheck.check(eventBurst >= 1, "limits.eventBurst must be at least 1, was " + eventBurst);
            ConfigCheck.check(maxOutboundBytes >= 2L * maxMessageBytes, "limits.maxOutboundBytes must be at least twice "
                    + "limits.maxMessageBytes (" + 2L * maxMessageBytes + "), was " + maxOutboundBytes);
        }

        public Builder toBuilder() {
            return new Builder(this);
        }

        /** A changed copy, for tests and the reader: {@code limits.toBuilder().maxFilters(5).build()}. */
        public static final class Builder {
            private int maxMessageBytes;
            private int maxSubscriptions;
            private int maxFilters;
            private int maxLimit;
            private int maxSubidLength;
            private int maxEventTags;
            private int maxContentLength;
            private long createdAtLowerLimit;
            private long createdAtUpperLimit;
            private int maxConnectionsPerIp;
            private int eventsPerSecond;
            private int eventBurst;
            private long maxOutboundBytes;

            private Builder(Limits from) {
                maxMessageBytes = from.maxMessageBytes;
                maxSubscriptions = from.maxSubscriptions;
                maxFilters = from.maxFilters;
                maxLimit = from.maxLimit;
                maxSubidLength = from.maxSubidLength;
                maxEventTags = from.maxEventTags;
                maxContentLength = from.maxContentLength;
                createdAtLowerLimit = from.createdAtLowerLimit;
                createdAtUpperLimit = from.createdAtUpperLimit;
                maxConnectionsPerIp = from.maxConnectionsPerIp;
                eventsPerSecond = from.eventsPerSecond;
                eventBurst = from.eventBurst;
                maxOutboundBytes = from.maxOutboundBytes;
            }

            public Builder maxMessageBytes(int value) {
                maxMessageBytes = value;
                return this;
            }

            public Builder maxSubscriptions(int value) {
                maxSubscriptions = value;
                return this;
            }

            public Builder maxFilters(int value) {
                maxFilters = value;
                return this;
            }

            public Builder maxLimit(int value) {
                maxLimit = value;
                return this;
            }

            public Builder maxSubidLength(int value) {
                maxSubidLength = value;
                return this;
            }

            public Builder maxEventTags(int value) {
                maxEventTags = value;
                return this;
            }

            public Builder maxContentLength(int value) {
                maxContentLength = value;
                return this;
            }

            public Builder createdAtLowerLimit(long value) {
                createdAtLowerLimit = value;
                return this;
            }

            public Builder createdAtUpperLimit(long value) {
                createdAtUpperLimit = value;
                return this;
            }

            public Builder maxConnectionsPerIp(int value) {
                maxConnectionsPerIp = value;
                return this;
            }

            public Builder eventsPerSecond(int value) {
                eventsPerSecond = value;
                return this;
            }

            public Builder eventBurst(int value) {
                eventBurst = value;
                return this;
            }

            public Builder maxOutboundBytes(long value) {
                maxOutboundBytes = value;
                return this;
            }

            public Limits build() {
                return new Limits(maxMessageBytes, maxSubscriptions, maxFilters, maxLimit, maxSubidLength,
                        maxEventTags, maxContentLength, createdAtLowerLimit, createdAtUpperLimit,
                        maxConnectionsPerIp, eventsPerSecond, eventBurst, maxOutboundBytes);
            }
        }
    }

    /**
     * NIP-42. A challenge is sent to every connection when it opens, so a client may authenticate whenever it likes.
     *
     * @param requiredForWrites EVENT needs an authenticated connection ({@code auth-required:} otherwise)
     * @param requiredForReads REQ and COUNT need an authenticated connection
     */
    public record Auth(boolean requiredForWrites, boolean requiredForReads) {
        public static final Auth DEFAULTS = new Auth(false, false);
    }

    /**
     * The stored part of subscriptions.
     *
     * @param threads the query pool ("query-N"); more than the database's read pool only queues at the pool
     * @param timeout the time budget of one REQ's stored part (and of a COUNT); the database cancels a statement
     *     over it and the subscription is CLOSED with {@code error:}
     * @param expirationSweepEvery how often expired events (NIP-40) are deleted
     * @param recentEventsMegabytes memory for the newest events, which answer most REQs without the database
     *     ({@code RecentEvents}); 0: every REQ goes to the database. Used only by a relay that is its
     *     database's only writer (no replicas through RabbitMQ, not serving another program's store).
     */
    public record Query(int threads, Duration timeout, Duration expirationSweepEvery, int recentEventsMegabytes) {
        /**
         * The default memory for recent events: a quarter of the heap the JVM may grow to, at most 256 MB, so that
         * a small heap is not filled by it.
         */
        public static final int DEFAULT_RECENT_EVENTS_MEGABYTES =
                (int) Math.min(256, Runtime.getRuntime().maxMemory() / 4 / (1024 * 1024));

        /** As many query threads as read connections (a thread holds one while its statement runs). */
        public static final Query DEFAULTS = new Query(DatabaseConfig.DEFAULT_READ_POOL_SIZE, Duration.ofSeconds(3),
                Duration.ofMinutes(1), DEFAULT_RECENT_EVENTS_MEGABYTES);

        public Query {
            ConfigCheck.check(threads >= 1 && threads <= 256, "query.threads must be 1..256, was " + threads);
            ConfigCheck.check(timeout != null && timeout.toMillis() >= 1, "query.timeout must be at least 1ms, such as 3s");
            ConfigCheck.check(expirationSweepEvery != null && expirationSweepEvery.toMillis() >= 1,
                    "query.expirationSweepEvery must be at least 1ms, such as 1m");
            ConfigCheck.check(recentEventsMegabytes >= 0, "query.recentEventsMegabytes must be 0 (off) or more, was "
                    + recentEventsMegabytes);
        }
    }

    /**
     * NIP-77 negentropy: set reconciliation over the store. A session keeps the (created_at, id) of every event its
     * filter matches, 40 bytes each, until NEG-CLOSE, read from the database in order with a cursor into blocks of
     * 1,024. All sessions of the relay share one budget: blocks stay in the heap while {@code memoryBudget} has
     * room and otherwise go to a file in {@code spillDirectory} (unlinked as it is made, read back a block at a time);
     * a NEG-OPEN that finds the disk budget used up too gets {@code NEG-ERR "blocked: ..."}.
     *
     * @param maxSessions open reconciliations per connection; a NEG-OPEN past it gets {@code NEG-ERR "blocked: ..."}
     * @param maxItems events a filter may match; past it {@code NEG-ERR "blocked: too many items ..."}
     * @param frameSizeLimit the most bytes of one NEG-MSG the relay sends (0: no limit, else at least 4096); a
     *     reply that would be longer ends early and the client asks again
     * @param memoryBudget bytes of items all sessions together may hold in the heap
     * @param diskBudget bytes of items all sessions together may hold in spill files (0: never spill)
     * @param spillDirectory where spill files are made
     */
    public record Negentropy(int maxSessions, int maxItems, int frameSizeLimit, long memoryBudget, long diskBudget,
                             String spillDirectory) {
        public static final long DEFAULT_MEMORY_BUDGET = 64L << 20;
        public static final long DEFAULT_DISK_BUDGET = 1L << 30;
        public static final Negentropy DEFAULTS = new Negentropy(8, 1_000_000, 0);

        public Negentropy {
            ConfigCheck.check(maxSessions >= 1 && maxSessions <= 1_000,
                    "negentropy.maxSessions must be 1..1000, was " + maxSessions);
            ConfigCheck.check(maxItems >= 1 && maxItems <= 50_000_000,
                    "negentropy.maxItems must be 1..50000000, was " + maxItems);
            ConfigCheck.check(frameSizeLimit == 0 || frameSizeLimit >= 4_096,
                    "negentropy.frameSizeLimit must be 0 (no limit) or at least 4096, was " + frameSizeLimit);
            ConfigCheck.check(memoryBudget >= 0, "negentropy.memoryBudget must be 0 or more, was " + memoryBudget);
            ConfigCheck.check(diskBudget >= 0, "negentropy.diskBudget must be 0 (never spill) or more, was "
                    + diskBudget);
            ConfigCheck.check(spillDirectory != null && !spillDirectory.isBlank(),
                    "negentropy.spillDirectory must name a directory");
        }

        /** The limits with the default budgets: 64 MB of heap, then 1 GB in the system's temporary directory. */
        public Negentropy(int maxSessions, int maxItems, int frameSizeLimit) {
            this(maxSessions, maxItems, frameSizeLimit, DEFAULT_MEMORY_BUDGET, DEFAULT_DISK_BUDGET,
                    System.getProperty("java.io.tmpdir"));
        }
    }

    /**
     * Reverse proxies (a load balancer, an ingress) in front of the relay. A connection from one of them is
     * counted against {@code limits.maxConnectionsPerIp}, and logged, as the client {@code X-Forwarded-For} names:
     * the rightmost address in it that is not itself a trusted proxy. Anyone else's {@code X-Forwarded-For} is
     * ignored, since a client can write whatever it likes there.
     *
     * @param trusted the proxies' addresses or CIDR blocks; empty (the default): the TCP peer is the client
     */
    public record Proxies(List<AddressRange> trusted) {
        public static final Proxies NONE = new Proxies(List.of());

        public Proxies {
            ConfigCheck.check(trusted != null, "relay.trustedProxies must not be null (leave it unset for none)");
            trusted = List.copyOf(trusted);
        }

        /** True if the peer is one of the trusted proxies. */
        public boolean trusts(InetAddress peer) {
            for (AddressRange range : trusted) {
                if (range.contains(peer)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Several replicas on one database: each publishes what it commits to a fanout exchange and delivers what the
     * others commit to its own subscribers.
     *
     * @param url an AMQP URI ({@code amqp://guest:guest@127.0.0.1:5672}); empty: a single relay, no RabbitMQ
     * @param exchange the fanout exchange every replica of one relay shares
     */
    public record Rabbit(Optional<String> url, String exchange) {
        public static final Rabbit DEFAULTS = new Rabbit(Optional.empty(), "nostr.relay.events");

        public Rabbit {
            ConfigCheck.check(url != null, "rabbitmq.url must not be null (leave it unset for none)");
            url.ifPresent(u -> ConfigCheck.check(u.startsWith("amqp://") || u.startsWith("amqps://"),
                    "rabbitmq.url must be an amqp:// or amqps:// URI such as amqp://guest:guest@127.0.0.1:5672, was "
                            + u.replaceAll("//[^@/]*@", "//***@")));
            ConfigCheck.check(exchange != null && !exchange.isBlank(), "rabbitmq.exchange must be a name such as "
                    + "nostr.relay.events");
        }
    }

    private static URI parseUri(String text) {
        try {
            return new URI(text);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    static void check(boolean condition, String message) {
        ConfigCheck.check(condition, message);
    }
}
