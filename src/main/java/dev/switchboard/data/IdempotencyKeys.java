package dev.switchboard.data;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Idempotency keys of creates, each with the hash of its request and the answer it got. */
@ApplicationScoped
public class IdempotencyKeys {

    /** A key already used: the hash of the request that used it and the answer that request got. */
    public record Used(String requestHash, StoredAnswer answer) {
    }

    private final Pool pool;

    IdempotencyKeys(Pool pool) {
        this.pool = pool;
    }

    /**
     * Claims a key for the create running in {@code tx}: true when it was free or had expired, false when it
     * is in use. While another transaction holds an uncommitted claim of the same key, this waits for it to
     * end; then the key is in use (that transaction committed) or free again (it rolled back).
     */
    public Uni<Boolean> claim(SqlClient tx, String endpoint, String key, String requestHash, Duration ttl) {
        return tx.preparedQuery("""
                INSERT INTO idempotency_keys (endpoint, key, request_hash, expires_at)
                VALUES ($1, $2, $3, now() + $4::bigint * interval '1 millisecond')
                ON CONFLICT (endpoint, key) DO UPDATE
                SET request_hash = EXCLUDED.request_hash, status = NULL, location = NULL, etag = NULL, body = NULL,
                    created_at = now(), expires_at = EXCLUDED.expires_at
                WHERE idempotency_keys.expires_at <= now()
                RETURNING 1""")
                .execute(Tuple.of(endpoint, key, requestHash, ttl.toMillis()))
                .map(rows -> rows.size() > 0);
    }

    /** Stores the answer of the create that claimed the key, in the same transaction. */
    public Uni<Void> answer(SqlClient tx, String endpoint, String key, StoredAnswer answer) {
        return tx.preparedQuery("""
                UPDATE idempotency_keys SET status = $3, location = $4, etag = $5, body = $6
                WHERE endpoint = $1 AND key = $2""")
                .execute(Tuple.tuple().addString(endpoint).addString(key).addInteger(answer.status())
                        .addString(answer.location()).addString(answer.etag()).addString(answer.body()))
                .replaceWithVoid();
    }

    /** The key as used before; null when it is not there (any more). */
    public Uni<Used> find(SqlClient tx, String endpoint, String key) {
        return tx.preparedQuery("SELECT request_hash, status, location, etag, body FROM idempotency_keys"
                + " WHERE endpoint = $1 AND key = $2")
                .execute(Tuple.of(endpoint, key))
                .map(rows -> Rows.first(rows, row -> new Used(row.getString("request_hash"), new StoredAnswer(
                        row.getInteger("status"), row.getString("location"), row.getString("etag"), row.getString("body")))));
    }

    /**
     * Deletes up to {@code batch} expired keys; the number deleted. Keys locked by a create that is
     * reclaiming them are skipped, and so are keys another replica is deleting at the same time.
     */
    public Uni<Integer> purgeExpired(int batch) {
        return pool.preparedQuery("""
                DELETE FROM idempotency_keys WHERE (endpoint, key) IN (
                    SELECT endpoint, key FROM idempotency_keys WHERE expires_at <= now()
                    LIMIT $1 FOR UPDATE SKIP LOCKED)""")
                .execute(Tuple.of(batch))
                .map(RowSet::rowCount);
    }
}
