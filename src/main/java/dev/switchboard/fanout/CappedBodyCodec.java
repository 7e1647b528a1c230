package dev.switchboard.fanout;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.ext.web.client.impl.HttpRequestImpl;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * Collects a response body while it streams in, and fails the moment it grows past the cap, so an
 * oversized (or endless) body costs at most the cap in memory.
 * <p>
 * Failing the body alone would leave the web client draining the rest of it into nowhere (for an
 * endless body: forever). So {@link #interceptor()} hands each call's codec the response as soon as its
 * head arrives, and the codec resets the request - closing that connection - when the body is too large
 * (known at once from {@code Content-Length}, or while streaming) or when the caller stopped waiting
 * ({@link #abandon()}, at the call's deadline).
 * <p>
 * One instance per call attempt.
 */
final class CappedBodyCodec implements BodyCodec<Buffer> {

    /** The body grew past the cap. */
    static final class BodyTooLargeException extends RuntimeException {
        BodyTooLargeException(long cap) {
            super("body larger than " + cap + " bytes", null, false, false);
        }
    }

    /** The caller stopped waiting. */
    static final class AbandonedException extends RuntimeException {
        AbandonedException() {
            super("call abandoned", null, false, false);
        }
    }

    private final long cap;
    private volatile boolean abandoned;
    private volatile boolean exceeded;
    private volatile HttpClientResponse response;

    CappedBodyCodec(long cap) {
        this.cap = cap;
    }

    /** The caller stopped waiting: drop the connection now rather than read on. */
    void abandon() {
        abandoned = true;
        cut();
    }

    /** Whether the body was refused for its size; the failure seen by the caller may be the reset that followed. */
    boolean exceeded() {
        return exceeded;
    }

    long cap() {
        return cap;
    }

    private void cut() {
        HttpClientResponse current = response;
        if (current != null) {
            current.request().reset();
        }
    }

    /**
     * A web client interceptor (an internal Vert.x extension point, the only one that sees the response
     * head of a particular request) that attaches each response to the codec of its request.
     */
    static Handler<HttpContext<?>> interceptor() {
        return context -> {
            if (context.phase() == ClientPhase.RECEIVE_RESPONSE
                    && context.request() instanceof HttpRequestImpl<?> request
                    && request.bodyCodec() instanceof CappedBodyCodec codec
                    && !codec.attach(context.clientResponse())) {
                context.fail(codec.abandoned ? new AbandonedException() : new BodyTooLargeException(codec.cap));
                return;
            }
            context.next();
        };
    }

    /** False when the response must not be read: too large by its own account, or nobody waits any more. */
    private boolean attach(HttpClientResponse head) {
        response = head;
        String length = head.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean tooLarge = false;
        if (length != null) {
            try {
                tooLarge = Long.parseLong(length.trim()) > cap;
            } catch (NumberFormatException e) {
                // Let the streaming check decide.
            }
        }
        if (tooLarge || abandoned) {
            exceeded = tooLarge;
            // Nobody reads this response any more; its reset is expected, not worth an error log.
            head.exceptionHandler(ignored -> {
            });
            head.request().reset();
            return false;
        }
        return true;
    }

    @Override
    public void create(Handler<AsyncResult<BodyStream<Buffer>>> handler) {
        handler.handle(Future.succeededFuture(new Stream()));
    }

    private final class Stream implements BodyStream<Buffer> {

        private final Promise<Buffer> result = Promise.promise();
        private Buffer body;

        @Override
        public Future<Buffer> result() {
            return result.future();
        }

        @Override
        public void handle(Throwable failure) {
            result.tryFail(failure);
        }

        @Override
        public Future<Void> write(Buffer chunk) {
            if (result.future().isComplete()) {
                return Future.failedFuture(result.future().cause() != null ? result.future().cause() : new IllegalStateException("ended"));
            }
            if (abandoned) {
                return fail(new AbandonedException());
            }
            long size = (body == null ? 0 : body.length()) + (long) chunk.length();
            if (size > cap) {
                exceeded = true;
                body = null;
                return fail(new BodyTooLargeException(cap));
            }
            if (body == null) {
                body = Buffer.buffer(Math.max(chunk.length(), 256));
            }
            body.appendBuffer(chunk);
            return Future.succeededFuture();
        }

        private Future<Void> fail(RuntimeException failure) {
            result.tryFail(failure);
            cut();
            return Future.failedFuture(failure);
        }

        @Override
        public void write(Buffer chunk, Handler<AsyncResult<Void>> handler) {
            Future<Void> written = write(chunk);
            if (handler != null) {
                handler.handle(written);
            }
        }

        @Override
        public void end(Handler<AsyncResult<Void>> handler) {
            result.tryComplete(body == null ? Buffer.buffer() : body);
            if (handler != null) {
                handler.handle(result.future().succeeded() ? Future.succeededFuture() : Future.failedFuture(result.future().cause()));
            }
        }

        @Override
        public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            return this;
        }

        @Override
        public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
            return this;
        }

        @Override
        public boolean writeQueueFull() {
            return false;
        }

        @Override
        public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
            return this;
        }
    }
}
