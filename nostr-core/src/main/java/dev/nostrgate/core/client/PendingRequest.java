package dev.nostrgate.core.client;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.message.ClientMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * A request waiting for the relay's answer: an {@code EVENT} waiting for {@code OK}, or a {@code COUNT}. Lives on
 * the client's thread from the call until the answer, the deadline or the client's close, across reconnects.
 */
abstract sealed class PendingRequest {
    final long sequence;
    final String json;
    ScheduledFuture<?> deadline;
    /** Written on the current connection (else queued: sent when the connection opens). */
    boolean written;
    final AuthRetry auth = new AuthRetry();

    PendingRequest(long sequence, String json) {
        this.sequence = sequence;
        this.json = json;
    }

    /** What the request waits for, for messages: {@code OK for EVENT <id>}. */
    abstract String awaited();

    abstract void fail(RelayClientException e);

    /** Completes with the refusal held while authenticating, when authentication failed. */
    abstract void refuse(String refusal, String relay);

    void written(boolean authenticated) {
        written = true;
        auth.sent(authenticated);
    }

    /** Refused with auth-required: held (not written) until authentication settles it. */
    void holdForAuth(String refusal) {
        auth.hold(refusal);
        written = false;
    }

    void newConnection() {
        written = false;
        auth.reset();
    }

    static final class Publish extends PendingRequest {
        final Event event;
        /**
         * The answer, never handed out: each caller gets its own future (see {@link #answerTo}), so that one who
         * cancels or completes it cannot answer for the others sending the same event.
         */
        final CompletableFuture<OkResult> result = new CompletableFuture<>();

        Publish(long sequence, Event event) {
            super(sequence, new ClientMessage.Publish(event).toJson());
            this.event = event;
        }

        /** Completes a caller's future with this request's answer, when it comes. */
        void answerTo(CompletableFuture<OkResult> caller) {
            result.whenComplete((ok, failure) -> {
                if (failure != null) {
                    caller.completeExceptionally(failure);
                } else {
                    caller.complete(ok);
                }
            });
        }

        @Override
        String awaited() {
            return "OK for EVENT " + event.id();
        }

        @Override
        void fail(RelayClientException e) {
            result.completeExceptionally(e);
        }

        @Override
        void refuse(String refusal, String relay) {
            result.complete(new OkResult(event.id(), false, refusal));
        }
    }

    static final class Count extends PendingRequest {
        final String subscriptionId;
        final CompletableFuture<Long> result;

        Count(long sequence, ClientMessage.Count message, CompletableFuture<Long> result) {
            super(sequence, message.toJson());
            this.subscriptionId = message.subscriptionId();
            this.result = result;
        }

        @Override
        String awaited() {
            return "answer to COUNT " + subscriptionId;
        }

        @Override
        void fail(RelayClientException e) {
            result.completeExceptionally(e);
        }

        @Override
        void refuse(String refusal, String relay) {
            result.completeExceptionally(
                    new RequestRefusedException(relay + " refused COUNT " + subscriptionId + ": " + refusal, refusal));
        }
    }
}
