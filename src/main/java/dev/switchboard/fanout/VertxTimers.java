package dev.switchboard.fanout;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Waits built on Vert.x timers: they fire on the caller's event loop (no extra thread), and are
 * cancelled when nobody waits for them any more.
 */
public final class VertxTimers {

    private VertxTimers() {
    }

    /** Completes after {@code millis}; cancelling the subscription cancels the timer. */
    public static Uni<Void> delay(Vertx vertx, long millis) {
        if (millis <= 0) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(emitter -> {
            long timer = vertx.setTimer(millis, id -> emitter.complete(null));
            emitter.onTermination(() -> vertx.cancelTimer(timer));
        });
    }
}
