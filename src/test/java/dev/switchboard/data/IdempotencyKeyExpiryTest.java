package dev.switchboard.data;

import static dev.switchboard.support.Tokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Expired keys: ignored by a create, removed by the purge. Needs the database itself, so not repeated as an IT. */
@QuarkusTest
class IdempotencyKeyExpiryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Pool pool;

    @Inject
    IdempotencyKeyPurge purge;

    @Inject
    DataConfig config;

    private long sql(String statement, Object... parameters) {
        return pool.preparedQuery(statement).execute(Tuple.from(parameters)).await().atMost(WAIT).rowCount();
    }

    private long keys(String key) {
        return pool.preparedQuery("SELECT count(*) AS n FROM idempotency_keys WHERE key = $1").execute(Tuple.of(key))
                .await().atMost(WAIT).iterator().next().getLong("n");
    }

    @Test
    void keysAreKeptForTheConfiguredTime() {
        assertThat(config.idempotencyKeyTtl()).isEqualTo(Duration.ofHours(24));
        String key = UUID.randomUUID().toString();
        asAdmin().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("name", "Kept", "priceCents", 1, "stock", 1)).post("/api/products").then().statusCode(201);
        long left = pool.preparedQuery("SELECT extract(epoch FROM expires_at - created_at) AS s FROM idempotency_keys WHERE key = $1")
                .execute(Tuple.of(key)).await().atMost(WAIT).iterator().next().getDouble("s").longValue();
        assertThat(left).isEqualTo(Duration.ofHours(24).toSeconds());
    }

    @Test
    void anExpiredKeyStartsANewCreate() {
        String key = UUID.randomUUID().toString();
        asAdmin().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("name", "Old", "priceCents", 1, "stock", 1)).post("/api/products").then().statusCode(201);
        sql("UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1", key);

        // Another body under the same key: no 422 (the old use is forgotten) and no replay.
        asAdmin().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("name", "New", "priceCents", 2, "stock", 2)).post("/api/products")
                .then().statusCode(201).header("Idempotent-Replayed", nullValue()).body("name", equalTo("New"));
        asAdmin().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("name", "New", "priceCents", 2, "stock", 2)).post("/api/products")
                .then().statusCode(201).header("Idempotent-Replayed", "true").body("name", equalTo("New"));
    }

    @Test
    void thePurgeDeletesExpiredKeysInBatchesAndKeepsTheRest() {
        String live = UUID.randomUUID().toString();
        asAdmin().contentType(ContentType.JSON).header("Idempotency-Key", live)
                .body(Map.of("name", "Live", "priceCents", 1, "stock", 1)).post("/api/products").then().statusCode(201);
        String prefix = "expired-" + UUID.randomUUID() + "-";
        int expired = IdempotencyKeyPurge.BATCH * 2 + 7;
        sql("""
                INSERT INTO idempotency_keys (endpoint, key, request_hash, status, body, expires_at)
                SELECT '/api/products', $1 || g, 'hash', 201, '{}', now() - interval '1 minute'
                FROM generate_series(1, $2) g""", prefix, expired);

        long deleted = purge.purge().await().atMost(WAIT);

        assertThat(deleted).isGreaterThanOrEqualTo(expired);
        assertThat(sql("SELECT 1 FROM idempotency_keys WHERE key LIKE $1", prefix + "%")).isZero();
        assertThat(sql("SELECT 1 FROM idempotency_keys WHERE expires_at <= now()")).isZero();
        assertThat(keys(live)).isEqualTo(1);
    }
}
