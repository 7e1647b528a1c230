package dev.switchboard.fanout.aggregate;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;

/**
 * Reads a response body while it streams in, and fails the moment it grows past the cap, so an oversized
 * (or endless) body costs at most the cap in memory.
 * <p>
 * Failing the body alone would leave the client reading the rest of it into nowhere (for an endless body:
 * forever). So the request is reset - closing its connection - when the body is too large (known at once
 * from {@code Content-Length}, or while streaming) or when the caller stopped waiting ({@link #abandon()},
 * at the call's deadline, or when a hedged request lost the race).
 * <p>
 * One instance per request.
 */
final class CappedBody {

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
    private volatile HttpClientRequest request;

    CappedBody(long cap) {
        this.cap = cap;
    }

    /** The request whose connection is dropped when the body is refused or abandoned. */
    void attach(HttpClientRequest request) {
        this.request = request;
        if (abandoned) {
            cut();
        }
    }

    /** The caller stopped waiting: drop the connection now rather than read on. */
    void abandon() {
        abandoned = true;
        cut();
    }

    boolean abandoned() {
        return abandoned;
    }

    /** Whether the body was refused for its size; the failure seen by the caller may be the reset that followed. */
    boolean exceeded() {
        return exceeded;
    }

    private void cut() {
        HttpClientRequest current = request;
        if (current != null) {
            current.reset();
        }
    }

    /** The whole body of {@code response}, or a failure once it is too large or nobody waits any more. */
    Future<Buffer> read(HttpClientResponse response) {
        Promise<Buffer> promise = Promise.promise();
        // Also takes the reset that follows a refusal: expected, and a second failure is ignored.
        response.exceptionHandler(promise::tryFail);
        if (abandoned) {
            cut();
            promise.tryFail(new AbandonedException());
            return promise.future();
        }
        if (declaredTooLarge(response.getHeader(HttpHeaders.CONTENT_LENGTH))) {
            exceeded = true;
            cut();
            promise.tryFail(new BodyTooLargeException(cap));
            return promise.future();
        }
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (exceeded || abandoned) {
                return;
            }
            if ((long) body.length() + chunk.length() > cap) {
                exceeded = true;
                cut();
                promise.tryFail(new BodyTooLargeException(cap));
                return;
            }
            body.appendBuffer(chunk);
        });
        response.endHandler(v -> promise.tryComplete(body));
        // The response may have been paused while the handlers were set; read on now.
        response.resume();
        return promise.future();
    }

    private boolean declaredTooLarge(String length) {
        if (length == null) {
            return false;
        }
        try {
            return Long.parseLong(length.trim()) > cap;
        } catch (NumberFormatException e) {
            return false; // let the streaming check decide
        }
    }
}
