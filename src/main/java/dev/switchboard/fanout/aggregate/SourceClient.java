package dev.switchboard.fanout.aggregate;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.fanout.aggregate.SourceOutcome.Outcome;
import dev.switchboard.fanout.aggregate.UpstreamRequests.Call;
import dev.switchboard.fanout.aggregate.UpstreamRequests.Reply;
import dev.switchboard.fanout.aggregate.UpstreamRequests.ServerErrorStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Calls one source through its guard (timeout, retry, circuit breaker) and always ends in exactly one
 * {@link SourceOutcome}: the returned future never fails, so one bad upstream cannot fail a whole fan-out.
 */
@ApplicationScoped
public class SourceClient {

    /** No request deadline: only the source's own timeout bounds the call. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private final Vertx vertx;
    private final UpstreamRequests requests;
    private final SourceGuards guards;
    private final ObjectMapper json;
    private final AggregateMetrics metrics;
    private final Map<UpstreamSource, SharedCalls> shared = new ConcurrentHashMap<>();

    SourceClient(io.vertx.mutiny.core.Vertx vertx, UpstreamRequests requests, SourceGuards guards, ObjectMapper json, AggregateMetrics metrics) {
        this.vertx = vertx.getDelegate();
        this.requests = requests;
        this.guards = guards;
        this.json = json;
        this.metrics = metrics;
    }

    /**
     * Calls {@code source} as configured, never past {@code deadlineNanos} (a {@link System#nanoTime()}
     * instant, or {@link #NO_DEADLINE}).
     *
     * @param authorization the caller's {@code Authorization} header (null: none), sent only to a source on this
     *        service; such a call is then the caller's own and shares no cached answer with other callers
     * @param requestStartNanos the start of the request, the origin of {@code startedAtMs}
     */
    public Future<SourceOutcome> call(UpstreamSource source, String authorization, long requestStartNanos, long deadlineNanos) {
        long started = System.nanoTime();
        if (deadlineNanos != NO_DEADLINE && deadlineNanos - started <= 0) {
            SourceOutcome late = outcome(source, 0, started, requestStartNanos, Outcome.TIMEOUT, null,
                    "request deadline passed before the call", null);
            metrics.recordCall(source.name(), late.outcome(), 0);
            return Future.succeededFuture(late);
        }
        String credentials = source.isLocal() ? authorization : null;
        Call call = new Call(credentials);
        Future<SourceOutcome> work = source.cached() && credentials == null
                ? shared.computeIfAbsent(source, s -> new SharedCalls(s.cacheTtl().toNanos()))
                        .join(() -> guarded(source, new Call(null), started, requestStartNanos), started, requestStartNanos)
                : guarded(source, call, started, requestStartNanos);
        if (deadlineNanos != NO_DEADLINE) {
            // The guard bounds each attempt by the source's timeout; the request's deadline varies per
            // request, so it is applied here. A shared call is not cut: other requests may still wait for it.
            long budgetMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - started));
            work = within(work, budgetMillis, () -> {
                call.abandon();
                return outcome(source, call.requests(), started, requestStartNanos, Outcome.TIMEOUT, null,
                        "no complete answer within the request deadline (" + budgetMillis + " ms)", null);
            });
        }
        return work.onSuccess(outcome -> metrics.recordCall(source.name(), outcome.outcome(), System.nanoTime() - started));
    }

    private Future<SourceOutcome> guarded(UpstreamSource source, Call call, long started, long requestStart) {
        Context context = vertx.getOrCreateContext();
        CompletionStage<Reply> reply;
        try {
            reply = guards.of(source).get(() -> requests.attempt(source, call).toCompletionStage());
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return Future.fromCompletionStage(reply, context).transform(done -> Future.succeededFuture(done.succeeded()
                ? judge(source, call, done.result(), started, requestStart)
                : failed(source, call, done.cause(), started, requestStart)));
    }

    /** The outcome of {@code work}, or of {@code onExpiry} if it has not come within {@code millis}. */
    private Future<SourceOutcome> within(Future<SourceOutcome> work, long millis, Supplier<SourceOutcome> onExpiry) {
        Promise<SourceOutcome> result = Promise.promise();
        long timer = vertx.setTimer(millis, id -> {
            if (!result.future().isComplete()) {
                result.tryComplete(onExpiry.get());
            }
        });
        work.onComplete(done -> {
            vertx.cancelTimer(timer);
            result.tryComplete(done.result());
        });
        return result.future();
    }

    private SourceOutcome judge(UpstreamSource source, Call call, Reply reply, long started, long requestStart) {
        int status = reply.status();
        if (status < 200 || status > 299) {
            return outcome(source, call.requests(), started, requestStart, Outcome.ERROR, status,
                    "upstream answered " + status, null);
        }
        if (reply.body() == null || reply.body().length() == 0) {
            return outcome(source, call.requests(), started, requestStart, Outcome.OK, status, null, null);
        }
        try {
            JsonNode body = json.readTree(reply.body().getBytes());
            if (source.fields() != null && body instanceof ObjectNode object) {
                object.retain(source.fields());
            }
            return outcome(source, call.requests(), started, requestStart, Outcome.OK, status, null, body);
        } catch (JsonProcessingException e) {
            return outcome(source, call.requests(), started, requestStart, Outcome.ERROR, status,
                    "upstream answered " + status + " with a body that is not JSON", null);
        } catch (IOException e) {
            return outcome(source, call.requests(), started, requestStart, Outcome.ERROR, status, "unreadable body", null);
        }
    }

    private SourceOutcome failed(UpstreamSource source, Call call, Throwable failure, long started, long requestStart) {
        int attempts = call.requests();
        if (failure instanceof ServerErrorStatus status) {
            return outcome(source, attempts, started, requestStart, Outcome.ERROR, status.status, status.getMessage(), null);
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return outcome(source, attempts, started, requestStart, Outcome.CIRCUIT_OPEN, null,
                    "not called: too many recent calls failed (circuit open)", null);
        }
        if (failure instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException
                || failure instanceof java.util.concurrent.TimeoutException) {
            // The guard gave up on the attempt; make sure its connection does not linger.
            call.abandon();
            return outcome(source, attempts, started, requestStart, Outcome.TIMEOUT, null,
                    "no complete answer within " + source.timeout().toMillis() + " ms", null);
        }
        if (failure instanceof CappedBody.BodyTooLargeException) {
            return outcome(source, attempts, started, requestStart, Outcome.ERROR, null,
                    "upstream body larger than " + requests.maxBodyBytes() + " bytes", null);
        }
        String reason = failure instanceof ConnectException || failure instanceof UnknownHostException
                ? "connection failed: " + failure.getMessage()
                : failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        return outcome(source, attempts, started, requestStart, Outcome.ERROR, null, reason, null);
    }

    private static SourceOutcome outcome(UpstreamSource source, int attempts, long started, long requestStart,
            Outcome outcome, Integer status, String reason, JsonNode body) {
        long now = System.nanoTime();
        return new SourceOutcome(source.name(), outcome, status, reason, attempts,
                TimeUnit.NANOSECONDS.toMillis(started - requestStart), TimeUnit.NANOSECONDS.toMillis(now - started), body);
    }
}
