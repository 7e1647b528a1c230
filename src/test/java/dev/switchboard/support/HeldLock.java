package dev.switchboard.support;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A lock taken by the test in a transaction of its own and held until {@link #close()}, so the service's
 * statements that need it wait (as behind a slow or stuck client of the same database).
 */
public final class HeldLock implements AutoCloseable {

    private final CompletableFuture<Void> release = new CompletableFuture<>();
    private final CompletionStage<Void> held;
    private final CompletableFuture<Void> taken = new CompletableFuture<>();

    private HeldLock(Pool pool, String lockStatement) {
        held = pool.withTransaction(connection -> connection.query(lockStatement).execute()
                .invoke(() -> taken.complete(null))
                .chain(() -> Uni.createFrom().completionStage(release)))
                .subscribeAsCompletionStage()
                .whenComplete((done, failure) -> {
                    if (failure != null) {
                        taken.completeExceptionally(failure);
                    }
                });
    }

    /** Runs the statement (e.g. {@code LOCK TABLE ...}) and returns once the lock is granted. */
    public static HeldLock take(Pool pool, String lockStatement) {
        HeldLock lock = new HeldLock(pool, lockStatement);
        lock.taken.orTimeout(10, TimeUnit.SECONDS).join();
        return lock;
    }

    /** Ends the transaction, releasing the lock. */
    @Override
    public void close() throws Exception {
        release.complete(null);
        held.toCompletableFuture().get(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS);
    }
}
