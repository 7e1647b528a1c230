package dev.switchboard.fanout.aggregate;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;

/**
 * Sends the HTTP requests of one attempt at a source: one request, or two when the source is hedged
 * and the first is slow. A 5xx answer is raised as a failure so that the guard retries and counts it.
 */
@ApplicationScoped
class UpstreamRequests {

    /** What the upstream answered, before it is judged. */
    record Reply(int status, Buffer body) {
    }

    /** A 5xx answer, raised as a failure so that it can be retried like a connection error. */
    static final class ServerErrorStatus extends RuntimeException {
        final int status;

        ServerErrorStatus(int status) {
            super("upstream answered " + status, null, false, false);
            this.status = status;
        }
    }

    /** State shared by the requests of one call: how many were sent, and the bodies still being read. */
    static final class Call {
        private final AtomicInteger requests = new AtomicInteger();
        private final Set<CappedBody> open = ConcurrentHashMap.newKeySet();

        int requests() {
            return requests.get();
        }

        /** Nobody waits for this call any more: drop every connection it still reads from. */
        void abandon() {
            open.forEach(CappedBody::abandon);
        }
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final LocalServer local;
    private final long maxBodyBytes;

    UpstreamRequests(Vertx vertx, FanoutConfig config, LocalServer local) {
        this.vertx = vertx;
        this.local = local;
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

    long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** One attempt: a request, plus a second one after {@code hedgeAfter} when the source is hedged. */
    Uni<Reply> attempt(UpstreamSource source, Call call) {
        String url = source.isLocal() ? local.resolve(source.url()) : source.url();
        long idleMillis = source.timeout().toMillis() + 50;
        if (source.hedgeAfter() == null) {
            return send(url, idleMillis, call);
        }
        return Uni.createFrom().emitter(emitter -> new Hedge(vertx, emitter, () -> send(url, idleMillis, call))
                .start(source.hedgeAfter().toMillis()));
    }

    // The one place where a request to a source is built: headers every upstream call needs go here.
    private static RequestOptions request(String url, long idleMillis) {
        return new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(url)
                .setFollowRedirects(false)
                .putHeader(HttpHeaders.ACCEPT, "application/json")
                .putHeader(HttpHeaders.USER_AGENT, "switchboard-fanout")
                // Closes a silent connection soon after the deadline instead of leaving it to linger.
                .setIdleTimeout(idleMillis);
    }

    private Uni<Reply> send(String url, long idleMillis, Call call) {
        return Uni.createFrom().deferred(() -> {
            call.requests.incrementAndGet();
            CappedBody body = new CappedBody(maxBodyBytes);
            call.open.add(body);
            return client.request(request(url, idleMillis))
                    .chain(request -> read(request, body))
                    .onFailure(failure -> body.exceeded()).transform(failure -> new CappedBody.BodyTooLargeException(maxBodyBytes))
                    .onCancellation().invoke(body::abandon)
                    .onTermination().invoke(() -> call.open.remove(body));
        });
    }

    private static Uni<Reply> read(HttpClientRequest request, CappedBody body) {
        body.attach(request);
        return request.send().chain(response -> body.read(response).map(content -> {
            if (response.statusCode() >= 500) {
                throw new ServerErrorStatus(response.statusCode());
            }
            return new Reply(response.statusCode(), content);
        }));
    }

    /**
     * Two requests racing: the second is sent only if the first has not answered within the hedge delay.
     * The first answer wins and the other request is cancelled (its connection dropped). A first request
     * that fails before the hedge is sent fails the attempt (the guard decides whether to retry); once
     * both are out, the attempt fails only when both have.
     */
    private static final class Hedge {
        private final Vertx vertx;
        private final UniEmitter<? super Reply> emitter;
        private final Supplier<Uni<Reply>> request;
        private final Cancellable[] legs = new Cancellable[2];
        private int sent;
        private int failed;
        private boolean settled;
        private long timer = -1;

        Hedge(Vertx vertx, UniEmitter<? super Reply> emitter, Supplier<Uni<Reply>> request) {
            this.vertx = vertx;
            this.emitter = emitter;
            this.request = request;
        }

        void start(long hedgeAfterMillis) {
            emitter.onTermination(this::settle);
            launch();
            synchronized (this) {
                if (!settled) {
                    timer = vertx.setTimer(hedgeAfterMillis, id -> launch());
                }
            }
        }

        private void launch() {
            int leg;
            synchronized (this) {
                if (settled) {
                    return;
                }
                leg = sent++;
            }
            Cancellable running = request.get().subscribe().with(this::answered, this::failed);
            synchronized (this) {
                legs[leg] = running;
                if (!settled) {
                    return;
                }
            }
            running.cancel();
        }

        private void answered(Reply reply) {
            if (settle()) {
                emitter.complete(reply);
            }
        }

        private void failed(Throwable failure) {
            synchronized (this) {
                if (!settled && sent == 2 && ++failed < 2) {
                    return;
                }
            }
            if (settle()) {
                emitter.fail(failure);
            }
        }

        // Ends the race once: stops the hedge timer and cancels whatever still runs (a no-op on the winner).
        private boolean settle() {
            Cancellable[] running;
            synchronized (this) {
                if (settled) {
                    return false;
                }
                settled = true;
                running = legs.clone();
            }
            vertx.cancelTimer(timer);
            for (Cancellable leg : running) {
                if (leg != null) {
                    leg.cancel();
                }
            }
            return true;
        }
    }
}
