package dev.switchboard.fanout.aggregate;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * One cached source's calls: concurrent requests share a single upstream call (singleflight), and an
 * ok answer is reused until its TTL runs out. Anything else is not kept: the next request calls again.
 * <p>
 * The shared call runs detached from the request that started it, bounded by the source's own guard,
 * so that a client going away or a short request deadline does not cut it for the others waiting.
 */
final class SharedCalls {

    private final long ttlNanos;
    private CompletableFuture<SourceOutcome> current; // guarded by this
    private long expiresAtNanos; // guarded by this; meaningful once current is done

    SharedCalls(long ttlNanos) {
        this.ttlNanos = ttlNanos;
    }

    /**
     * The outcome of the call in flight or in the cache, or of a new call made with {@code upstream}. Only
     * the request that made the call sees it as it was; the others see an ok answer as {@code cached}.
     */
    Future<SourceOutcome> join(Supplier<Future<SourceOutcome>> upstream, long startedNanos, long requestStartNanos) {
        CompletableFuture<SourceOutcome> shared;
        boolean leader = false;
        synchronized (this) {
            if (current == null || (current.isDone() && System.nanoTime() - expiresAtNanos >= 0)) {
                current = new CompletableFuture<>();
                leader = true;
            }
            shared = current;
        }
        if (leader) {
            return upstream.get().onSuccess(outcome -> settle(shared, outcome));
        }
        // The shared call ends on the event loop of the request that made it; a waiter resumes on its own.
        Future<SourceOutcome> answer = shared.isDone() ? Future.succeededFuture(shared.getNow(null))
                : Future.fromCompletionStage(shared, Vertx.currentContext());
        return answer.map(outcome -> outcome.seenBy(millis(startedNanos - requestStartNanos),
                millis(System.nanoTime() - startedNanos)));
    }

    private void settle(CompletableFuture<SourceOutcome> done, SourceOutcome outcome) {
        synchronized (this) {
            if (current == done) {
                if (outcome.ok()) {
                    expiresAtNanos = System.nanoTime() + ttlNanos;
                } else {
                    current = null;
                }
            }
        }
        done.complete(outcome);
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
