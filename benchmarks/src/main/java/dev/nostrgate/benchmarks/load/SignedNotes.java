package dev.nostrgate.benchmarks.load;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.PubKey;
import dev.nostrgate.core.key.SecKey;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Realistic kind-1 notes, signed before a run's clock starts so that the generator is not what is measured. A pool
 * of authors with fresh random keys (so every run's events are new to the relay), a skewed choice of author and
 * hashtag, 60 to 220 characters of text, and a few tags: hashtags ({@code t}), mentions ({@code p}), replies
 * ({@code e} + {@code p}). About 300 to 650 bytes of JSON each. Signing runs on all cores.
 */
final class SignedNotes {
    private static final String[] WORDS = ("nostr relay bitcoin zap note the a of and to in is that for on with gm "
            + "pura vida freedom tech open protocol client event key sign verify lightning value for value")
            .split(" ");

    private final List<SecKey> keys;
    private final List<String> hashtags = new ArrayList<>();
    private final long seed;

    SignedNotes(int authors, long seed) {
        this.seed = seed;
        this.keys = IntStream.range(0, authors).parallel().mapToObj(i -> {
            SecKey key = SecKey.generate();
            key.pubKey(); // derived once, here, not while signing
            return key;
        }).toList();
        for (String word : List.of("nostr", "bitcoin", "zap", "gm", "plebchain", "photography", "music", "art",
                "food", "travel")) {
            hashtags.add(word);
        }
        for (int i = hashtags.size(); i < 100; i++) {
            hashtags.add("topic" + i);
        }
    }

    List<PubKey> authors() {
        return keys.stream().map(SecKey::pubKey).toList();
    }

    List<String> hashtags() {
        return hashtags;
    }

    /** Signs {@code count} notes, the {@code i}-th with the tags of {@code extraTags.apply(i)} added. */
    List<Event> sign(int count, long createdAt, IntFunction<List<Tag>> extraTags) {
        return IntStream.range(0, count).parallel().mapToObj(i -> note(i, createdAt, extraTags.apply(i))).toList();
    }

    private Event note(int i, long createdAt, List<Tag> extra) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        SecKey key = keys.get(skewed(random, keys.size()));
        List<Tag> tags = new ArrayList<>();
        if (random.nextInt(100) < 15) {
            tags.add(Tag.of("e", Hex.encode(bytes(random, 32)), "", "root"));
            tags.add(Tag.of("p", keys.get(random.nextInt(keys.size())).pubKey().hex()));
        } else if (random.nextInt(100) < 25) {
            tags.add(Tag.of("p", keys.get(random.nextInt(keys.size())).pubKey().hex()));
        }
        for (int t = random.nextInt(3); t > 0; t--) {
            tags.add(Tag.of("t", hashtags.get(skewed(random, hashtags.size()))));
        }
        tags.addAll(extra);
        StringBuilder content = new StringBuilder();
        for (int length = 60 + random.nextInt(160); content.length() < length; ) {
            content.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        long jitter = random.nextInt(60);
        return new UnsignedEvent(key.pubKey(), Math.max(0, createdAt - jitter), 1, tags, content.toString().strip())
                .sign(key);
    }

    /** Zipf-like: index i with weight about 1/(i+1). */
    static int skewed(SplittableRandom random, int size) {
        return (int) Math.min(size - 1, Math.floor(Math.pow(size + 1.0, random.nextDouble()) - 1));
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) random.nextInt(256);
        }
        return out;
    }
}
