package dev.nostrgate.benchmarks.store;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.event.CanonicalSerialization;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.key.PubKey;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A realistic stream of events for the store benchmark: many authors with a skewed activity (a few post a lot),
 * kinds 1 (notes), 7 (reactions), 6 (reposts), 0 and 3 (replaceable) and 30023 (articles), replies and reactions
 * pointing at earlier events ({@code e}), mentions ({@code p}) and hashtags ({@code t}) from a skewed vocabulary.
 *
 * <p>Ids are real (SHA-256 of the canonical serialization); signatures are random hex, because the store does not
 * verify (the relay does that before the writer), and signing a million events would only slow the setup.
 */
final class SyntheticEvents {
    static final long START = 1_700_000_000L;
    static final long SPAN = 365L * 24 * 3600;

    private final SplittableRandom random;
    private final List<PubKey> authors = new ArrayList<>();
    private final List<String> hashtags = new ArrayList<>();
    private final List<String> recentIds = new ArrayList<>();
    private final long total;
    private long made;

    SyntheticEvents(long seed, int authorCount, long total) {
        this.random = new SplittableRandom(seed);
        this.total = total;
        for (int i = 0; i < authorCount; i++) {
            authors.add(PubKey.of(randomBytes(32)));
        }
        for (int i = 0; i < 2_000; i++) {
            hashtags.add("tag" + i);
        }
    }

    List<PubKey> authors() {
        return authors;
    }

    String hashtag(int rank) {
        return hashtags.get(rank);
    }

    /** Zipf-like: index i is chosen with weight about 1/(i+1). */
    int skewed(int size) {
        double u = random.nextDouble();
        return (int) Math.min(size - 1, Math.floor(Math.pow(size + 1.0, u) - 1));
    }

    PubKey author() {
        return authors.get(skewed(authors.size()));
    }

    Event next() {
        long createdAt = START + (SPAN * made++) / total + random.nextInt(60);
        PubKey author = author();
        int roll = random.nextInt(100);
        List<Tag> tags = new ArrayList<>();
        int kind;
        String content;
        if (roll < 55) {
            kind = 1;
            content = text(40 + random.nextInt(400));
            if (!recentIds.isEmpty() && random.nextInt(3) == 0) {
                String parent = recentIds.get(random.nextInt(recentIds.size()));
                tags.add(Tag.of("e", parent, "", "root"));
                tags.add(Tag.of("p", author().hex()));
            }
            for (int t = random.nextInt(3); t > 0; t--) {
                tags.add(Tag.of("t", hashtags.get(skewed(hashtags.size()))));
            }
            if (random.nextInt(4) == 0) {
                tags.add(Tag.of("p", author().hex()));
            }
        } else if (roll < 85) {
            kind = 7;
            content = random.nextInt(5) == 0 ? "🤙" : "+";
            String target = recentIds.isEmpty() ? Hex.encode(randomBytes(32))
                    : recentIds.get(random.nextInt(recentIds.size()));
            tags.add(Tag.of("e", target));
            tags.add(Tag.of("p", author().hex()));
            tags.add(Tag.of("k", "1"));
        } else if (roll < 93) {
            kind = 6;
            content = "";
            String target = recentIds.isEmpty() ? Hex.encode(randomBytes(32))
                    : recentIds.get(random.nextInt(recentIds.size()));
            tags.add(Tag.of("e", target, "wss://relay.example.com"));
            tags.add(Tag.of("p", author().hex()));
        } else if (roll < 95) {
            kind = 0;
            content = "{\"name\":\"user" + random.nextInt(1_000_000) + "\",\"about\":\"" + text(80) + "\"}";
        } else if (roll < 97) {
            kind = 3;
            content = "";
            for (int p = 20 + random.nextInt(150); p > 0; p--) {
                tags.add(Tag.of("p", authors.get(random.nextInt(authors.size())).hex()));
            }
        } else {
            kind = 30_023;
            content = text(1_000 + random.nextInt(3_000));
            tags.add(Tag.of("d", "article-" + random.nextInt(20)));
            tags.add(Tag.of("title", text(30)));
            tags.add(Tag.of("t", hashtags.get(skewed(hashtags.size()))));
        }
        EventId id = CanonicalSerialization.id(author, createdAt, kind, tags, content);
        if (kind == 1) {
            if (recentIds.size() < 50_000) {
                recentIds.add(id.hex());
            } else {
                recentIds.set(random.nextInt(recentIds.size()), id.hex());
            }
        }
        return new Event(id, author, createdAt, kind, tags, content, Hex.encode(randomBytes(64)));
    }

    private static final String[] WORDS = ("nostr relay bitcoin zap note the a of and to in is that for on with "
            + "gm pura vida freedom tech open protocol client event key sign verify lightning").split(" ");

    private String text(int length) {
        StringBuilder out = new StringBuilder(length + 16);
        while (out.length() < length) {
            out.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        return out.toString();
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i += 8) {
            long value = random.nextLong();
            for (int j = 0; j < 8 && i + j < n; j++) {
                bytes[i + j] = (byte) (value >>> (8 * j));
            }
        }
        return bytes;
    }
}
