package dev.switchboard.fanout.aggregate;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.fanout.VertxTimers;
import dev.switchboard.fanout.aggregate.SourceOutcome.Outcome;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;

/**
 * Calls one source and always ends in exactly one {@link SourceOutcome}: the returned {@code Uni} never
 * fails, so one bad upstream cannot fail a whole fan-out.
 */
@ApplicationScoped
public class SourceClient {

    private static final long FIRST_BACKOFF_MS = 25;
    private static final long MAX_BACKOFF_MS = 250;

    private final Vertx vertx;
    private final HttpClient client;
    private final LocalServer local;
    private final ObjectMapper json;
    private final AggregateMetrics metrics;
    private final long maxBodyBytes;

    SourceClient(Vertx vertx, FanoutConfig config, LocalServer local, ObjectMapper json, AggregateMetrics metrics) {
        this.vertx = vertx;
        this.local = local;
        this.json = json;
        this.metrics = metrics;
        this.maxBodyBytes = config.maxBodySize().asLongValue();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                // One connection per permitted call, per upstream host.
                .setMaxPoolSize(config.maxInFlight())
                .setConnectTimeout(5_000));
    }

    @PreDestroy
    void close() {
        client.closeAndForget();
    }

    /** What the upstream answered, before it is judged. */
    private record Reply(int status, Buffer body) {
    }

    /** A 5xx answer, raised as a failure so that it can be retried like a connection error. */
    private static final class ServerErrorStatus extends RuntimeException {
        final int status;

        ServerErrorStatus(int status) {
            super("upstream answered " + status, null, false, false);
            this.status = status;
        }
    }

    /** Per call state shared by its attempts. */
    private static final class Call {
        int attempts;
        volatile CappedBody body;

        void abandon() {
            CappedBody current = body;
            if (current != null) {
                current.abandon();
            }
        }
    }

    /**
     * Calls {@code source}, retrying as configured, within its timeout and never past {@code deadlineNanos}
     * (a {@link System#nanoTime()} instant).
     *
     * @param requestStartNanos the start of the request, the origin of {@code startedAtMs}
     */
    public Uni<SourceOutcome> call(UpstreamSource source, long requestStartNanos, long deadlineNanos) {
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            long budgetNanos = Math.min(source.timeout().toNanos(), deadlineNanos - started);
            Call call = new Call();
            if (budgetNanos <= 0) {
                SourceOutcome late = finish(source, call, started, requestStartNanos,
                        Outcome.TIMEOUT, null, "request deadline passed before the call", null);
                metrics.recordCall(source.name(), late.outcome(), 0);
                return Uni.createFrom().item(late);
            }
            long budgetMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(budgetNanos));
            String url = source.isLocal() ? local.resolve(source.url()) : source.url();
            Uni<SourceOutcome> attempts = attempt(source, url, call, started + budgetNanos)
                    .map(reply -> judge(source, call, reply, started, requestStartNanos))
                    .onFailure().recoverWithItem(failure -> failed(source, call, failure, budgetMillis, started, requestStartNanos));
            return VertxTimers.within(vertx, attempts, budgetMillis, () -> {
                call.abandon();
                return finish(source, call, started, requestStartNanos, Outcome.TIMEOUT, null,
                        "no complete answer within " + budgetMillis + " ms", null);
            }).invoke(outcome -> metrics.recordCall(source.name(), outcome.outcome(), System.nanoTime() - started));
        });
    }

    private Uni<Reply> attempt(UpstreamSource source, String url, Call call, long deadlineNanos) {
        call.attempts++;
        CappedBody body = new CappedBody(maxBodyBytes);
        call.body = body;
        long remainingMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        return client.request(new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(url)
                .setFollowRedirects(false)
                .putHeader(HttpHeaders.ACCEPT, "application/json")
                .putHeader(HttpHeaders.USER_AGENT, "switchboard-fanout")
                // Closes a silent connection at the deadline instead of leaving it to linger.
                .setIdleTimeout(remainingMillis + 50))
                .chain(request -> send(request, body))
                .map(SourceClient::reply)
                .onFailure(failure -> body.exceeded()).transform(failure -> new CappedBody.BodyTooLargeException(maxBodyBytes))
                .onFailure(SourceClient::retryable).recoverWithUni(failure -> {
                    if (call.attempts > source.retries()) {
                        return Uni.createFrom().failure(failure);
                    }
                    long backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << (call.attempts - 1));
                    if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff) >= deadlineNanos) {
                        return Uni.createFrom().failure(failure);
                    }
                    return VertxTimers.delay(vertx, backoff).chain(() -> attempt(source, url, call, deadlineNanos));
                });
    }

    /** Sends {@code request} and reads its answer through {@code body}; a cancelled attempt drops its connection. */
    private static Uni<Reply> send(HttpClientRequest request, CappedBody body) {
        body.attach(request);
        return request.send()
                .chain(response -> body.read(response).map(content -> new Reply(response.statusCode(), content)))
                .onCancellation().invoke(body::abandon);
    }

    private static Reply reply(Reply reply) {
        if (reply.status() >= 500) {
            throw new ServerErrorStatus(reply.status());
        }
        return reply;
    }

    // Worth another attempt: the upstream was unreachable, dropped the connection, or failed itself.
    private static boolean retryable(Throwable failure) {
        return failure instanceof ServerErrorStatus
                || failure instanceof ConnectException
                || failure instanceof HttpClosedException
                || (failure instanceof IOException && !(failure instanceof UnknownHostException));
    }

    private SourceOutcome judge(UpstreamSource source, Call call, Reply reply, long started, long requestStart) {
        if (reply.status() < 200 || reply.status() > 299) {
            return finish(source, call, started, requestStart, Outcome.ERROR, reply.status(),
                    "upstream answered " + reply.status(), null);
        }
        if (reply.body() == null || reply.body().length() == 0) {
            return finish(source, call, started, requestStart, Outcome.OK, reply.status(), null, null);
        }
        try {
            JsonNode body = json.readTree(reply.body().getBytes());
            return finish(source, call, started, requestStart, Outcome.OK, reply.status(), null, body);
        } catch (JsonProcessingException e) {
            return finish(source, call, started, requestStart, Outcome.ERROR, reply.status(),
                    "upstream answered " + reply.status() + " with a body that is not JSON", null);
        } catch (IOException e) {
            return finish(source, call, started, requestStart, Outcome.ERROR, reply.status(), "unreadable body", null);
        }
    }

    private SourceOutcome failed(UpstreamSource source, Call call, Throwable failure, long budgetMillis,
            long started, long requestStart) {
        if (failure instanceof ServerErrorStatus status) {
            return finish(source, call, started, requestStart, Outcome.ERROR, status.status, status.getMessage(), null);
        }
        if (failure instanceof TimeoutException) {
            return finish(source, call, started, requestStart, Outcome.TIMEOUT, null,
                    "no complete answer within " + budgetMillis + " ms", null);
        }
        if (failure instanceof CappedBody.BodyTooLargeException) {
            return finish(source, call, started, requestStart, Outcome.ERROR, null,
                    "upstream body larger than " + maxBodyBytes + " bytes", null);
        }
        String reason = failure instanceof ConnectException || failure instanceof UnknownHostException
                ? "connection failed: " + failure.getMessage()
                : failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        return finish(source, call, started, requestStart, Outcome.ERROR, null, reason, null);
    }

    private SourceOutcome finish(UpstreamSource source, Call call, long started, long requestStart,
            Outcome outcome, Integer status, String reason, JsonNode body) {
        long now = System.nanoTime();
        return new SourceOutcome(source.name(), outcome, status, reason, call.attempts,
                TimeUnit.NANOSECONDS.toMillis(started - requestStart), TimeUnit.NANOSECONDS.toMillis(now - started), body);
    }
}
