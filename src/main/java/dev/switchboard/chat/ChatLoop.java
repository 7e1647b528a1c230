package dev.switchboard.chat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The one Vert.x event loop that owns every room's state, so that state needs no locks: whoever
 * touches a room hops onto this loop first, and database results are emitted back onto it.
 */
final class ChatLoop implements Executor {

    private final Vertx vertx;
    private Context context;
    private volatile Thread thread;

    ChatLoop(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Binds the loop to an event-loop context; called once, at start-up, off the event loop. */
    void start() {
        context = vertx.getOrCreateContext();
        CompletableFuture<Thread> started = new CompletableFuture<>();
        context.runOnContext(v -> started.complete(Thread.currentThread()));
        thread = started.join();
    }

    boolean started() {
        return thread != null;
    }

    /** Runs the task on the chat loop: at once when already there, else queued in order. */
    @Override
    public void execute(Runnable task) {
        if (Thread.currentThread() == thread) {
            task.run();
        } else {
            context.runOnContext(v -> task.run());
        }
    }

    /** A timer whose task runs on the chat loop. */
    long every(long millis, Runnable task) {
        return vertx.setPeriodic(millis, id -> execute(task));
    }

    void after(long millis, Runnable task) {
        vertx.setTimer(millis, id -> execute(task));
    }

    void cancel(long timer) {
        vertx.cancelTimer(timer);
    }
}
