package dev.switchboard.fanout.aggregate;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Sends the HTTP requests of one attempt at a source: one request, or two when the source is hedged
 * and the first is slow. A 5xx answer is raised as a failure so that the guard retries and counts it.
 * <p>
 * Plain Vert.x futures rather than Mutiny here: this runs several times per aggregate, and every Mutiny
 * operator carries a context-propagation capture, which was the largest share of the fan-out's CPU.
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

    /** State shared by the requests of one call: its credentials, how many were sent, and the bodies still being read. */
    static final class Call {
        private final String authorization;
        private final AtomicInteger requests = new AtomicInteger();
        private final Set<CappedBody> open = ConcurrentHashMap.newKeySet();
        private volatile boolean abandoned;

        /** @param authorization the {@code Authorization} header to send; null for none */
        Call(String authorization) {
            this.authorization = authorization;
        }

        int requests() {
            return requests.get();
        }

        /** Nobody waits for this call any more: drop every connection it still reads from, send nothing more. */
        void abandon() {
            abandoned = true;
            open.forEach(CappedBody::abandon);
        }
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final LocalServer local;
    private final long maxBodyBytes;

    UpstreamRequests(io.vertx.mutiny.core.Vertx vertx, FanoutConfig config, LocalServer local) {
        this.vertx = vertx.getDelegate();
        this.local = local;
        this.maxBodyBytes = config.maxBodySize().asLongValue();
        this.client = this.vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                // One connection per permitted call, per upstream host.
                .setMaxPoolSize(config.maxInFlight())
                .setConnectTimeout(5_000));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** One attempt: a request, plus a second one after {@code hedgeAfter} when the source is hedged. */
    Future<Reply> attempt(UpstreamSource source, Call call) {
        String url = source.isLocal() ? local.resolve(source.url()) : source.url();
        long idleMillis = source.timeout().toMillis() + 50;
        if (source.hedgeAfter() == null) {
            return send(url, idleMillis, call, new CappedBody(maxBodyBytes));
        }
        return new Hedge(url, idleMillis, call).start(source.hedgeAfter().toMillis());
    }

    // The one place where a request to a source is built: headers every upstream call needs go here.
    private static RequestOptions request(String url, long idleMillis, String authorization) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(url)
                .setFollowRedirects(false)
                .putHeader(HttpHeaders.ACCEPT, "application/json")
                .putHeader(HttpHeaders.USER_AGENT, "switchboard-fanout")
                // Closes a silent connection soon after the deadline instead of leaving it to linger.
                .setIdleTimeout(idleMillis);
        return authorization == null ? options : options.putHeader(HttpHeaders.AUTHORIZATION, authorization);
    }

    private Future<Reply> send(String url, long idleMillis, Call call, CappedBody body) {
        if (call.abandoned) {
            return Future.failedFuture(new CappedBody.AbandonedException());
        }
        call.requests.incrementAndGet();
        call.open.add(body);
        return client.request(request(url, idleMillis, call.authorization))
                .compose(request -> {
                    body.attach(request);
                    return request.send().compose(response -> body.read(response).map(content -> {
                        if (response.statusCode() >= 500) {
                            throw new ServerErrorStatus(response.statusCode());
                        }
                        return new Reply(response.statusCode(), content);
                    }));
                })
                .recover(failure -> Future.failedFuture(body.exceeded() ? new CappedBody.BodyTooLargeException(maxBodyBytes) : failure))
                .onComplete(done -> call.open.remove(body));
    }

    /**
     * Two requests racing: the second is sent only if the first has not answered within the hedge delay.
     * The first answer wins and the other request is abandoned (its connection dropped). A first request
     * that fails before the hedge is sent fails the attempt (the guard decides whether to retry); once
     * both are out, the attempt fails only when both have.
     */
    private final class Hedge {
        private final String url;
        private final long idleMillis;
        private final Call call;
        private final Promise<Reply> result = Promise.promise();
        private final CappedBody[] bodies = new CappedBody[2];
        private int sent;
        private int failed;
        private long timer = -1;

        Hedge(String url, long idleMillis, Call call) {
            this.url = url;
            this.idleMillis = idleMillis;
            this.call = call;
        }

        Future<Reply> start(long hedgeAfterMillis) {
            launch();
            synchronized (this) {
                if (!result.future().isComplete()) {
                    timer = vertx.setTimer(hedgeAfterMillis, id -> launch());
                }
            }
            return result.future();
        }

        private void launch() {
            CappedBody body = new CappedBody(maxBodyBytes);
            synchronized (this) {
                if (result.future().isComplete()) {
                    return;
                }
                bodies[sent++] = body;
            }
            send(url, idleMillis, call, body).onComplete(done -> {
                if (done.succeeded()) {
                    settle(body, done.result(), null);
                } else {
                    failed(body, done.cause());
                }
            });
        }

        private void failed(CappedBody body, Throwable failure) {
            synchronized (this) {
                if (sent == 2 && ++failed < 2) {
                    return;
                }
            }
            settle(body, null, failure);
        }

        // Ends the race once: stops the hedge timer and drops the other request, if it still runs.
        private void settle(CappedBody last, Reply reply, Throwable failure) {
            CappedBody[] running;
            synchronized (this) {
                if (result.future().isComplete()) {
                    return;
                }
                if (failure == null) {
                    result.complete(reply);
                } else {
                    result.fail(failure);
                }
                running = bodies.clone();
            }
            vertx.cancelTimer(timer);
            for (CappedBody body : running) {
                if (body != null && body != last) {
                    body.abandon();
                }
            }
        }
    }
}
