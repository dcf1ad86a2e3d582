package dev.nostrgate.benchmarks;

import dev.nostrgate.core.key.Schnorr;
import dev.nostrgate.core.key.SchnorrProviders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * BIP-340 signatures per second on one thread, for each provider: {@code verify} is what a relay pays per new
 * event, {@code sign} what a client pays per event it publishes. Cycles through 64 keys and messages, so no single
 * input is measured.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Threads(1)
@State(Scope.Thread)
public class SignatureBenchmark {
    private static final int SAMPLES = 64; // a power of two: the index is masked, not divided

    /** {@code native} (libsecp256k1 through JNI) or {@code java} (Bouncy Castle). */
    @Param({"native", "java"})
    public String provider;

    private Schnorr schnorr;
    private final byte[][] secretKeys = new byte[SAMPLES][];
    private final byte[][] publicKeys = new byte[SAMPLES][];
    private final byte[][] messages = new byte[SAMPLES][];
    private final byte[][] signatures = new byte[SAMPLES][];
    private final byte[] auxRand = new byte[32];
    private int next;

    @Setup
    public void signSamples() {
        schnorr = SchnorrProviders.choose(provider);
        for (int i = 0; i < SAMPLES; i++) {
            secretKeys[i] = sha256("benchmark key " + i); // below the group order with overwhelming probability
            if (!schnorr.isValidSecretKey(secretKeys[i])) {
                throw new IllegalStateException("sample key " + i + " is not a valid secret key");
            }
            publicKeys[i] = schnorr.xOnlyPublicKey(secretKeys[i]);
            messages[i] = sha256("benchmark event id " + i); // Nostr signs 32-byte event ids
            signatures[i] = schnorr.sign(messages[i], secretKeys[i], auxRand);
            if (!schnorr.verify(signatures[i], messages[i], publicKeys[i])) {
                throw new IllegalStateException(provider + " does not verify its own signature " + i);
            }
        }
    }

    @Benchmark
    public boolean verify() {
        int i = next++ & (SAMPLES - 1);
        return schnorr.verify(signatures[i], messages[i], publicKeys[i]);
    }

    /** Signing with fixed auxiliary randomness: {@code SecKey.sign} adds a SecureRandom draw to this. */
    @Benchmark
    public byte[] sign() {
        int i = next++ & (SAMPLES - 1);
        return schnorr.sign(messages[i], secretKeys[i], auxRand);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
