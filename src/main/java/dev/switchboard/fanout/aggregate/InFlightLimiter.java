package dev.switchboard.fanout.aggregate;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.platform.Problem;
import dev.switchboard.platform.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.core.Context;
import io.vertx.mutiny.core.Vertx;

/**
 * Bounds the upstream calls in flight across all requests. A request takes one permit per source it
 * calls, all at once; when they are not free it waits in a short FIFO queue (no thread parked: the
 * waiter is a callback), and is refused with 503 when the queue is full or its wait runs out.
 * <p>
 * Kept instead of a Fault Tolerance bulkhead because the permits are all-or-nothing per request and
 * shared by every source: a bulkhead guards one source and admits call by call, so under load a request
 * could hold the permits of some of its sources while waiting for the others, and two such requests could
 * each hold what the other needs until both time out. Taking all of a request's permits at once (or
 * queueing for them) means an admitted request never waits for a slot midway.
 * <p>
 * The critical sections are a few field updates, so a plain monitor is cheaper than anything clever.
 */
@Startup
@ApplicationScoped
public class InFlightLimiter {

    private final Vertx vertx;
    private final int capacity;
    private final int maxQueued;
    private final Duration queueTimeout;
    private final Counter rejectedQueueFull;
    private final Counter rejectedWaitTimeout;

    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private int inUse;

    InFlightLimiter(Vertx vertx, FanoutConfig config, AggregateMetrics metrics) {
        this.vertx = vertx;
        this.capacity = config.maxInFlight();
        this.maxQueued = config.maxQueued();
        this.queueTimeout = config.queueTimeout();
        this.rejectedQueueFull = metrics.rejected("queue-full");
        this.rejectedWaitTimeout = metrics.rejected("wait-timeout");
        Gauge.builder("switchboard.fanout.in-flight", this, InFlightLimiter::inUse)
                .description("Upstream calls in flight (permits taken)")
                .register(metrics.registry());
        Gauge.builder("switchboard.fanout.queued", this, InFlightLimiter::queued)
                .description("Aggregate requests waiting for permits")
                .register(metrics.registry());
    }

    /** Permits held by one request; each is given back once, however often release is called. */
    public final class Lease {
        private final AtomicInteger held;

        private Lease(int permits) {
            this.held = new AtomicInteger(permits);
        }

        /** Gives back one permit, when one call is over. */
        public void releaseOne() {
            if (held.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                release(1);
            }
        }

        /** Gives back whatever is still held. */
        public void releaseAll() {
            int returned = held.getAndSet(0);
            if (returned > 0) {
                release(returned);
            }
        }
    }

    private final class Waiter {
        final int permits;
        final UniEmitter<? super Lease> emitter;
        final Context context;
        long timer = -1;
        boolean done; // guarded by the limiter
        Lease lease; // guarded by the limiter; set when granted

        Waiter(int permits, UniEmitter<? super Lease> emitter, Context context) {
            this.permits = permits;
            this.emitter = emitter;
            this.context = context;
        }
    }

    /**
     * A lease of {@code permits}, at once or after a wait of at most {@code maxWait} (capped by the
     * configured queue timeout); fails with a 503 {@link ProblemException} otherwise.
     */
    public Uni<Lease> acquire(int permits, Duration maxWait) {
        // SourceCatalog refuses at start-up a catalogue larger than the capacity, and picks at least one source.
        assert permits > 0 && permits <= capacity : "permits must be 1.." + capacity + ": " + permits;
        long waitMillis = Math.max(0, Math.min(queueTimeout.toMillis(), maxWait.toMillis()));
        AtomicReference<Waiter> queued = new AtomicReference<>();
        Uni<Lease> lease = Uni.createFrom().emitter(emitter -> {
            Waiter waiter = null;
            boolean granted = false;
            synchronized (this) {
                if (waiters.isEmpty() && inUse + permits <= capacity) {
                    inUse += permits;
                    granted = true;
                } else if (waiters.size() < maxQueued && waitMillis > 0) {
                    waiter = new Waiter(permits, emitter, vertx.getOrCreateContext());
                    waiters.addLast(waiter);
                }
            }
            if (granted) {
                emitter.complete(new Lease(permits));
                return;
            }
            if (waiter == null) {
                rejectedQueueFull.increment();
                emitter.fail(overloaded("all " + capacity + " upstream call slots are busy and the wait queue is full"));
                return;
            }
            queued.set(waiter);
            Waiter mine = waiter;
            mine.timer = vertx.setTimer(waitMillis, id -> expire(mine));
        });
        // Only called when cancelled before the lease was delivered: nobody will give it back but us.
        return lease.onCancellation().invoke(() -> {
            Waiter waiter = queued.get();
            if (waiter != null) {
                abandon(waiter);
            }
        });
    }

    private void expire(Waiter waiter) {
        List<Waiter> grants;
        synchronized (this) {
            if (waiter.done) {
                return;
            }
            waiter.done = true;
            waiters.remove(waiter);
            // The expired waiter may have been the head blocking smaller requests behind it.
            grants = grantable();
        }
        rejectedWaitTimeout.increment();
        waiter.emitter.fail(overloaded("no upstream call slot became free within " + queueTimeout.toMillis() + " ms"));
        grants.forEach(this::grant);
    }

    // The client went away while waiting: forget the waiter, or give back what it was granted.
    private void abandon(Waiter waiter) {
        List<Waiter> grants = List.of();
        Lease granted;
        synchronized (this) {
            granted = waiter.lease;
            if (!waiter.done) {
                waiter.done = true;
                waiters.remove(waiter);
                grants = grantable();
            }
        }
        vertx.cancelTimer(waiter.timer);
        if (granted != null) {
            granted.releaseAll();
        }
        grants.forEach(this::grant);
    }

    private void release(int permits) {
        List<Waiter> grants;
        synchronized (this) {
            inUse -= permits;
            grants = grantable();
        }
        grants.forEach(this::grant);
    }

    // Called with the monitor held: hands permits to waiters in arrival order while they fit.
    private List<Waiter> grantable() {
        List<Waiter> grants = null;
        Iterator<Waiter> it = waiters.iterator();
        while (it.hasNext()) {
            Waiter head = it.next();
            if (inUse + head.permits > capacity) {
                break;
            }
            it.remove();
            head.done = true;
            head.lease = new Lease(head.permits);
            inUse += head.permits;
            if (grants == null) {
                grants = new ArrayList<>(2);
            }
            grants.add(head);
        }
        return grants == null ? List.of() : grants;
    }

    private void grant(Waiter waiter) {
        vertx.cancelTimer(waiter.timer);
        // Resume the request on its own event loop, not on whichever thread released the permits.
        waiter.context.runOnContext(() -> waiter.emitter.complete(waiter.lease));
    }

    private ProblemException overloaded(String detail) {
        return new ProblemException(Problem.of(503, "Service Unavailable", "Too busy: " + detail + "; retry shortly")
                .with("maxInFlight", capacity), "1");
    }

    public synchronized int inUse() {
        return inUse;
    }

    public synchronized int queued() {
        return waiters.size();
    }
}
