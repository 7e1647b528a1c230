package dev.switchboard.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Deletes chat history past {@code switchboard.chat.retention}: per room, more than {@code max-messages}
 * or older than {@code max-age}. One replica at a time does it (a transaction-scoped advisory lock; the
 * others skip that round), in statements of at most {@code batch-size} messages, and moves each room's
 * {@code first_id} past what it deleted, so a client asking for older ids is told they are gone.
 */
@ApplicationScoped
public class ChatRetention {

    private static final Logger LOG = Logger.getLogger(ChatRetention.class);
    /** Advisory lock key: any constant that nothing else in this database locks. */
    private static final long LOCK = 0x5357_4348_5245_544EL;

    /** One batch: where each room's kept history starts, what goes, and the rooms' new first ids. */
    private static final String TRIM = """
            WITH cut AS (
                SELECT r.room, r.first_id, greatest(r.last_id - $1 + 1, coalesce(
                    (SELECT m.id FROM chat_messages m WHERE m.room = r.room AND m.id >= r.first_id
                       AND m.sent_at >= now() - make_interval(secs => $2) ORDER BY m.id LIMIT 1),
                    r.last_id + 1)) AS keep_from
                FROM chat_rooms r),
            doomed AS (
                SELECT d.room, d.id FROM cut CROSS JOIN LATERAL (
                    SELECT room, id FROM chat_messages
                    WHERE room = cut.room AND id < cut.keep_from ORDER BY id LIMIT $3) d
                WHERE cut.keep_from > cut.first_id
                LIMIT $3),
            deleted AS (
                DELETE FROM chat_messages m USING doomed WHERE m.room = doomed.room AND m.id = doomed.id
                RETURNING m.room, m.id),
            moved AS (
                UPDATE chat_rooms r SET first_id = x.last_deleted + 1
                FROM (SELECT room, max(id) AS last_deleted FROM deleted GROUP BY room) x
                WHERE r.room = x.room)
            SELECT count(*) AS deleted FROM deleted""";

    private final Pool pool;
    private final Vertx vertx;
    private final ChatConfig.Retention config;
    private long timer = -1;
    /** A round still running when the timer fires again is not joined by another. */
    private boolean running;

    ChatRetention(Pool pool, Vertx vertx, ChatConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config.retention();
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(config.interval().toMillis(), id -> round());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    // Timer callbacks run on one event loop, so the flag needs no synchronisation.
    private void round() {
        if (running) {
            return;
        }
        running = true;
        trim(0).subscribe().with(deleted -> {
            running = false;
            if (deleted > 0) {
                LOG.infof("Chat retention deleted %d message(s)", deleted);
            }
        }, failure -> {
            running = false;
            LOG.warnf("Chat retention round failed (tried again in %s): %s", config.interval(), failure.getMessage());
        });
    }

    /** Deletes batch after batch until one is short (or another replica holds the lock); the total deleted. */
    Uni<Long> trim(long deletedSoFar) {
        return batch().flatMap(deleted -> deleted == config.batchSize()
                ? trim(deletedSoFar + deleted)
                : Uni.createFrom().item(deletedSoFar + Math.max(deleted, 0)));
    }

    /** One batch in its own transaction; -1 when another replica is trimming. */
    private Uni<Long> batch() {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT pg_try_advisory_xact_lock($1)")
                .execute(Tuple.of(LOCK))
                .flatMap(locked -> !locked.iterator().next().getBoolean(0) ? Uni.createFrom().item(-1L)
                        : tx.preparedQuery(TRIM)
                                .execute(Tuple.of(config.maxMessages(), config.maxAge().toSeconds(), config.batchSize()))
                                .map(rows -> rows.iterator().next().getLong("deleted"))));
    }
}
