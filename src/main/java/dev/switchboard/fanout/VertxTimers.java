package dev.switchboard.fanout;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
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

    /**
     * The item of {@code work}, or, if it has not come within {@code millis}, the item of
     * {@code onExpiry} (and {@code work} is cancelled).
     */
    public static <T> Uni<T> within(Vertx vertx, Uni<T> work, long millis, Supplier<T> onExpiry) {
        return Uni.createFrom().emitter(emitter -> {
            AtomicBoolean settled = new AtomicBoolean();
            AtomicReference<Cancellable> running = new AtomicReference<>();
            long timer = vertx.setTimer(Math.max(1, millis), id -> {
                if (settled.compareAndSet(false, true)) {
                    cancel(running);
                    emitter.complete(onExpiry.get());
                }
            });
            running.set(work.subscribe().with(item -> {
                if (settled.compareAndSet(false, true)) {
                    vertx.cancelTimer(timer);
                    emitter.complete(item);
                }
            }, failure -> {
                if (settled.compareAndSet(false, true)) {
                    vertx.cancelTimer(timer);
                    emitter.fail(failure);
                }
            }));
            emitter.onTermination(() -> {
                if (settled.compareAndSet(false, true)) {
                    vertx.cancelTimer(timer);
                    cancel(running);
                }
            });
            if (settled.get()) {
                // Expired or cancelled before the work was even subscribed (off the event loop).
                cancel(running);
            }
        });
    }

    private static void cancel(AtomicReference<Cancellable> running) {
        Cancellable cancellable = running.get();
        if (cancellable != null) {
            cancellable.cancel();
        }
    }
}
