package dev.switchboard.data;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Deletes expired idempotency keys now and then. Lookups ignore them already; this only keeps the table
 * small. Small batches, so no statement holds many locks or runs long; every replica may run it.
 */
@ApplicationScoped
public class IdempotencyKeyPurge {

    private static final Logger LOG = Logger.getLogger(IdempotencyKeyPurge.class);
    private static final Duration EVERY = Duration.ofMinutes(1);
    static final int BATCH = 500;

    private final Vertx vertx;
    private final IdempotencyKeys keys;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    IdempotencyKeyPurge(Vertx vertx, IdempotencyKeys keys) {
        this.vertx = vertx;
        this.keys = keys;
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(EVERY.toMillis(), id -> {
            // A slow purge is not started again on top of itself.
            if (running.compareAndSet(false, true)) {
                purge().onTermination().invoke(() -> running.set(false))
                        .subscribe().with(deleted -> {
                        }, e -> LOG.warnf("Purging expired idempotency keys failed: %s", e.getMessage()));
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Deletes every expired key, one batch after another; the number deleted. */
    public Uni<Long> purge() {
        return Multi.createBy().repeating().uni(() -> keys.purgeExpired(BATCH))
                .whilst(deleted -> deleted == BATCH)
                .collect().with(Collectors.summingLong(deleted -> deleted));
    }
}
