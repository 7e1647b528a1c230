package dev.switchboard.fanout.aggregate;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;

import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import io.vertx.core.http.HttpClosedException;

/** Which failures of an upstream call are worth another attempt, and which count against the upstream. */
final class SourceFailures {

    private SourceFailures() {
    }

    /** The upstream was unreachable, dropped the connection, or failed itself (5xx). */
    static boolean retryable(Throwable failure) {
        return failure instanceof UpstreamRequests.ServerErrorStatus
                || failure instanceof ConnectException
                || failure instanceof HttpClosedException
                || (failure instanceof IOException && !(failure instanceof UnknownHostException));
    }

    /** What the circuit breaker counts as the upstream's fault: the retryable failures, and timeouts. */
    static boolean upstreamFault(Throwable failure) {
        return retryable(failure) || failure instanceof TimeoutException
                || failure instanceof java.util.concurrent.TimeoutException;
    }
}
