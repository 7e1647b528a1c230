package dev.switchboard.chat;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.impl.ContextInternal;

/**
 * One writing task per event loop for all the outboxes of its connections. A broadcast offers a frame to
 * every member's outbox from the chat loop; when each outbox scheduled its own drain, a message to N
 * members cost N tasks, and N wake-ups of the loops that own the sockets. Here an outbox with frames to
 * write joins its loop's ready list, and only the first one schedules a task: that task drains every
 * outbox on the list. A broadcast so costs one task per event loop, while each outbox still writes its own
 * frames, in order, within its bounds.
 */
final class LoopWriters {

    private final Map<EventLoop, LoopWriter> byLoop = new ConcurrentHashMap<>();

    /** The writer of the event loop that runs this context (a connection's own). */
    LoopWriter writerFor(Context context) {
        ContextInternal internal = (ContextInternal) context;
        return byLoop.computeIfAbsent(internal.nettyEventLoop(), loop -> new LoopWriter(internal.unwrap()));
    }

    /** The outboxes of one event loop that have frames to write, drained by one task on that loop. */
    static final class LoopWriter {

        private final Context context;
        private final Queue<Outbox> ready = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final Handler<Void> drainAll = v -> drainAll();
        /** Tasks run so far; written by the loop only. */
        private volatile long tasks;

        private LoopWriter(Context context) {
            this.context = context;
        }

        /** From any thread, at most once per outbox until it is drained (the outbox keeps that promise). */
        void schedule(Outbox outbox) {
            ready.add(outbox);
            if (scheduled.compareAndSet(false, true)) {
                context.runOnContext(drainAll);
            }
        }

        /** How many tasks this writer has run on its loop (each one drains every outbox ready then). */
        long tasks() {
            return tasks;
        }

        private void drainAll() {
            // Reset first: an outbox that joins after this line schedules the next task, so none is left behind.
            scheduled.set(false);
            tasks++;
            Outbox outbox;
            while ((outbox = ready.poll()) != null) {
                outbox.drain();
            }
        }
    }
}
