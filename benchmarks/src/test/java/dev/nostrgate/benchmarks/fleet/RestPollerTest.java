package dev.nostrgate.benchmarks.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a poller reports: every answer's latency, the three slowest with when each was asked (so a cold first request
 * is told from a straggler), and failures apart, the first one named.
 */
class RestPollerTest {

    /** A request that answers at once, except the n-th ones, which take the given milliseconds. */
    private static RestPoller.Request slowAt(AtomicInteger sent, int status, long... millisByRequest) {
        return () -> {
            int n = sent.getAndIncrement();
            long millis = n < millisByRequest.length ? millisByRequest[n] : 0;
            try {
                TimeUnit.MILLISECONDS.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            return status;
        };
    }

    @Test
    void reportsTheThreeSlowestAnswersSlowestFirstWithWhenEachWasAsked() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        // the first request is slow (cold), then the fourth and the sixth: 400, 200 and 300 ms; the rest at once
        RestPoller poller = new RestPoller("test", 10, "/test", slowAt(sent, 200, 400, 0, 0, 200, 0, 300, 0, 0));
        try (poller) {
            await().atMost(Duration.ofSeconds(10)).until(() -> poller.latency().count() >= 9);
        }

        // "[412 ms at +0.0 s, 305 ms at +0.7 s, 203 ms at +0.4 s]": the cold first, then the sixth, then the fourth
        Matcher answer = Pattern.compile("(\\d+) ms at \\+(\\d+\\.\\d) s").matcher(poller.slowest());
        List<Long> millis = new ArrayList<>();
        List<Double> askedAt = new ArrayList<>();
        while (answer.find()) {
            millis.add(Long.parseLong(answer.group(1)));
            askedAt.add(Double.parseDouble(answer.group(2)));
        }
        assertThat(millis).hasSize(3);
        assertThat(millis.get(0)).isGreaterThanOrEqualTo(400);
        assertThat(millis.get(1)).isGreaterThanOrEqualTo(300).isLessThanOrEqualTo(millis.get(0));
        assertThat(millis.get(2)).isGreaterThanOrEqualTo(200).isLessThanOrEqualTo(millis.get(1));
        assertThat(askedAt.get(0)).as("the first request").isLessThan(askedAt.get(2));
        assertThat(askedAt.get(2)).as("the fourth before the sixth").isLessThan(askedAt.get(1));
        assertThat(poller.failures()).isZero();
        assertThat(poller.firstFailure()).isEmpty();
    }

    @Test
    void countsAnswersOtherThan200AsFailuresNamingTheFirstAndTimesNone() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        RestPoller poller = new RestPoller("test", 10, "/test", slowAt(sent, 503));
        try (poller) {
            await().atMost(Duration.ofSeconds(10)).until(() -> poller.failures() >= 3);
        }

        assertThat(poller.firstFailure()).contains("HTTP 503");
        assertThat(poller.latency().count()).isZero();
        assertThat(poller.slowest()).isEqualTo("[]");
    }
}
