package dev.switchboard.platform;

import java.lang.reflect.Method;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.filters.QuarkusRequestWrapper;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Marks the HTTP request that opened a WebSocket as complete once the WebSocket's connection closes.
 *
 * <p>With {@code quarkus.shutdown.timeout} set, Quarkus waits at shutdown until every HTTP request it
 * has counted is complete, and it counts a request complete when its response ends. The request that
 * upgrades to a WebSocket never ends a response, so every WebSocket ever opened would hold each
 * shutdown for the whole timeout, long after chat has closed it with 1001. This tells Quarkus that
 * such a request is done when its connection closes, through the request wrapper's own (not public)
 * completion method; should a Quarkus upgrade remove it, this logs a warning and shutdowns simply
 * wait for the timeout again. Checked by GracefulShutdownIT and ChatReplicasIT. The method is found by
 * reflection, so a native executable registers the wrapper for it.
 */
@Singleton
@RegisterForReflection(targets = QuarkusRequestWrapper.class)
class WebSocketRequestCompletion {

    private static final Logger LOG = Logger.getLogger(WebSocketRequestCompletion.class);

    void register(@Observes Filters filters) {
        Method done = completionMethod();
        if (done == null) {
            return;
        }
        filters.register(routing -> {
            HttpServerRequest request = routing.request();
            if (isWebSocketUpgrade(request)) {
                QuarkusRequestWrapper wrapper = QuarkusRequestWrapper.get(request);
                HttpConnection connection = request.connection();
                if (wrapper != null && connection != null) {
                    connection.closeHandler(closed -> complete(done, wrapper));
                }
            }
            routing.next();
        }, 1000);
    }

    private static boolean isWebSocketUpgrade(HttpServerRequest request) {
        String upgrade = request.getHeader(HttpHeaders.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    private static Method completionMethod() {
        try {
            Method done = QuarkusRequestWrapper.class.getDeclaredMethod("done");
            done.setAccessible(true);
            return done;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("Cannot mark WebSocket requests complete (%s): each shutdown after a WebSocket was opened"
                    + " waits for quarkus.shutdown.timeout", e);
            return null;
        }
    }

    private static void complete(Method done, QuarkusRequestWrapper wrapper) {
        try {
            // Idempotent: a request that also ended normally is only counted down once.
            done.invoke(wrapper);
        } catch (ReflectiveOperationException e) {
            LOG.debugf(e, "Could not mark a WebSocket request complete");
        }
    }
}
