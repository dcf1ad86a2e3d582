package dev.nostrgate.cli.transfer;

import dev.nostrgate.core.client.OkResult;
import dev.nostrgate.core.message.ReasonPrefix;
import dev.nostrgate.relay.store.SaveOutcome;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an import did with its lines. A line the target did not keep by a NIP rule (expired, ephemeral, deleted by
 * its author, an older replaceable version) is counted by reason, not as a failure: strfry's import drops the same
 * events. A failure is a refusal that says the target could not or would not take it now (rate limit, error,
 * auth): those lines were not imported, and a re-run may take them.
 */
final class ImportCounts {
    private long stored;
    private long duplicates;
    private long failed;
    private long bad;
    private final Map<String, Long> notKept = new TreeMap<>();

    /** One line's outcome at the target. */
    record Result(Kind kind, String message) {
        enum Kind { STORED, DUPLICATE, NOT_KEPT, FAILED }

        boolean kept() {
            return kind == Kind.STORED || kind == Kind.DUPLICATE;
        }

        boolean failed() {
            return kind == Kind.FAILED;
        }

        static Result of(SaveOutcome outcome) {
            return switch (outcome.status()) {
                case STORED -> new Result(Kind.STORED, "");
                case DUPLICATE -> new Result(Kind.DUPLICATE, outcome.message());
                case REJECTED -> outcome.message().startsWith("duplicate:")
                        ? new Result(Kind.DUPLICATE, outcome.message()) : new Result(Kind.NOT_KEPT, outcome.message());
                case FAILED, UNSTORABLE -> new Result(Kind.FAILED, outcome.message());
            };
        }

        static Result of(OkResult ok) {
            if (ok.accepted()) {
                return new Result(ok.is(ReasonPrefix.DUPLICATE) ? Kind.DUPLICATE : Kind.STORED, ok.message());
            }
            if (ok.is(ReasonPrefix.DUPLICATE)) {
                return new Result(Kind.DUPLICATE, ok.message());
            }
            boolean byRule = ok.is(ReasonPrefix.INVALID) || ok.is(ReasonPrefix.BLOCKED) || ok.is(ReasonPrefix.POW)
                    || ok.is(ReasonPrefix.MUTE);
            return new Result(byRule ? Kind.NOT_KEPT : Kind.FAILED, ok.message());
        }
    }

    void add(Result result) {
        switch (result.kind()) {
            case STORED -> stored++;
            case DUPLICATE -> duplicates++;
            case NOT_KEPT -> notKept.merge(result.message(), 1L, Long::sum);
            case FAILED -> failed++;
        }
    }

    void bad() {
        bad++;
    }

    /** True if every line was read and nothing failed (lines not kept by a rule are fine). */
    boolean complete() {
        return bad == 0 && failed == 0;
    }

    long stored() {
        return stored;
    }

    String summary() {
        long notKeptTotal = notKept.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder text = new StringBuilder().append(stored).append(" stored, ").append(duplicates)
                .append(" duplicates, ").append(notKeptTotal).append(" not kept by the target's rules, ")
                .append(failed).append(" failed, ").append(bad).append(" bad lines skipped");
        notKept.forEach((reason, count) -> text.append("; ").append(count).append(" × ").append(reason));
        return text.toString();
    }
}
