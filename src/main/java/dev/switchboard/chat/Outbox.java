package dev.switchboard.chat;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

/**
 * One connection's outbound frames, in order, with bounds that hold. Any thread may offer a frame; it is
 * written by the connection's own event loop (in one task with the other outboxes of that loop: see
 * {@link LoopWriters}), and only while the socket is writable (Netty's write queue
 * below its high-water mark): what the socket cannot take yet waits here, where it is counted.
 *
 * <p>A frame counts from the moment it is offered until Netty has handed it to the kernel (the write's
 * completion), so the counts cover every queue inside the server: this one, the framework's and Netty's.
 * An offer is refused while {@code maxFrames} frames or {@code maxBytes} bytes wait already; the caller
 * then closes the connection (1013). So at most the bounds plus one frame ever wait for a socket.
 *
 * <p>Frames are written as shared bytes (a frame object per write wraps the same array; no copy, no
 * re-encoding, no Mutiny subscription per recipient).
 */
final class Outbox {

    private final WebSocketBase socket;
    private final LoopWriters.LoopWriter writer;
    private final int maxFrames;
    private final long maxBytes;
    private final Queue<Frame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger frames = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    /** True while this outbox waits for its loop's writer or for the socket to drain. */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Handler<Void> drain = v -> drain();
    private volatile boolean closed;

    Outbox(WebSocketBase socket, LoopWriters.LoopWriter writer, int maxFrames, long maxBytes) {
        this.socket = socket;
        this.writer = writer;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
    }

    /** Queues the frame; false when the bounds are already reached (the frame is not queued). */
    boolean offer(Frame frame) {
        if (closed) {
            return true; // the connection is going: nothing more is written, and that is no overflow
        }
        if (frames.get() >= maxFrames || bytes.get() >= maxBytes) {
            return false;
        }
        frames.incrementAndGet();
        bytes.addAndGet(frame.knownSize());
        queue.add(frame);
        if (scheduled.compareAndSet(false, true)) {
            writer.schedule(this);
        }
        return true;
    }

    /** Frames offered and not yet handed to the kernel. */
    int frames() {
        return frames.get();
    }

    /** Bytes offered and not yet handed to the kernel. */
    long bytes() {
        return bytes.get();
    }

    /** Nothing waits here any more and the socket took everything written to it. */
    boolean flushed() {
        return frames.get() == 0;
    }

    /** Drops what waits and writes nothing more (the connection is being closed). */
    void close() {
        closed = true;
        discard();
    }

    private void discard() {
        Frame frame;
        while ((frame = queue.poll()) != null) {
            frames.decrementAndGet();
            bytes.addAndGet(-frame.knownSize());
        }
    }

    /** On the connection's event loop: writes while the socket is writable, then waits for it to drain. */
    void drain() {
        try {
            while (!closed) {
                if (socket.writeQueueFull()) {
                    socket.drainHandler(drain); // still scheduled: offers need not queue another drain
                    return;
                }
                Frame frame = queue.poll();
                if (frame == null) {
                    scheduled.set(false);
                    if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
                        return;
                    }
                    continue; // offered between the poll and the reset: this drain takes it
                }
                int known = frame.knownSize();
                byte[] data = frame.bytes();
                int size = data.length;
                if (size != known) {
                    bytes.addAndGet(size - known);
                }
                socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, data, true), written(size));
            }
        } catch (IllegalStateException e) {
            closed = true; // the socket was closed (its writeQueueFull() says so by throwing)
        }
        discard();
    }

    private Handler<AsyncResult<Void>> written(int size) {
        return done -> {
            frames.decrementAndGet();
            bytes.addAndGet(-size);
        };
    }
}
