package dev.switchboard.fanout.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@TestProfile(DashboardResourceTest.PatientLocks.class)
class DashboardResourceTest {

    /**
     * The concurrency test holds a lock on users until it has watched the other queries finish; on a busy
     * machine that can take longer than the default 2 s lock timeout and the 5 s statement timeout (which
     * counts a statement's wait for a lock too; both are tested in DatabaseTimeoutsTest), either of which
     * would end the waiting users queries before the test lets go.
     */
    public static class PatientLocks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.database.lock-timeout", "30s", "switchboard.database.statement-timeout", "30s",
                    "switchboard.database.idle-in-transaction-timeout", "60s");
        }
    }

    @Inject
    Pool pool;

    private static long create(String path, Map<String, Object> body) {
        return Tokens.asAdmin().contentType(ContentType.JSON).body(body).post(path)
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void countsAndNewestRowsComeTogether() {
        long user = create("/api/users", Map.of("name", "Dash", "email", "dash-" + UUID.randomUUID() + "@example.com"));
        long product = create("/api/products", Map.of("name", "Dial", "priceCents", 700, "stock", 5));
        long order = create("/api/orders", Map.of("userId", user, "items", List.of(Map.of("productId", product, "quantity", 2))));

        JsonPath body = given().get("/api/dashboard?limit=3").then().statusCode(200).contentType("application/json")
                .extract().jsonPath();

        assertThat(body.getLong("counts.users")).isPositive();
        assertThat(body.getLong("counts.products")).isPositive();
        assertThat(body.getLong("counts.orders")).isPositive();
        assertThat(body.getLong("newest.users[0].id")).isEqualTo(user);
        assertThat(body.getLong("newest.products[0].id")).isEqualTo(product);
        assertThat(body.getLong("newest.orders[0].id")).isEqualTo(order);
        assertThat(body.getLong("newest.orders[0].totalCents")).isEqualTo(1400);
        assertThat(body.getList("newest.users")).hasSizeLessThanOrEqualTo(3);
        List<Long> ids = body.getList("newest.users.id", Long.class);
        assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(body.getList("queries.name")).containsExactlyInAnyOrder("users.count", "products.count",
                "orders.count", "users.newest", "products.newest", "orders.newest");
    }

    @Test
    void theQueriesRunConcurrentlyOnSeparateConnections() throws Exception {
        // Hold a lock on users from another connection until this test lets go: the users queries wait for
        // it. Had the dashboard queued its queries on one connection, everything behind them would wait too.
        long user = create("/api/users", Map.of("name", "Dash", "email", "dash-" + UUID.randomUUID() + "@example.com"));
        long product = create("/api/products", Map.of("name", "Dash product", "priceCents", 100, "stock", 5));
        create("/api/orders", Map.of("userId", user, "items", List.of(Map.of("productId", product, "quantity", 1))));
        // Open enough idle connections first: a query waiting for a connection would get the one a finished
        // query just gave back, and that query would never show as done in pg_stat_activity.
        Uni.join().all(IntStream.range(0, 10).mapToObj(i -> pool.query("SELECT pg_sleep(0.05)").execute()).toList())
                .andFailFast().await().atMost(Duration.ofSeconds(10));
        CompletableFuture<Void> release = new CompletableFuture<>();
        var held = pool.withTransaction(connection -> connection.query("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
                .execute()
                .chain(() -> Uni.createFrom().completionStage(release)))
                .subscribeAsCompletionStage();
        CompletableFuture<JsonPath> dashboard = null;
        // Watch from a connection of its own: one borrowed from the pool could be one the dashboard just
        // used, and its next statement would overwrite what pg_stat_activity says it ran.
        SqlConnection observer = pool.getConnection().await().atMost(Duration.ofSeconds(5));
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> lockTaken(observer));
            OffsetDateTime asked = now(observer);
            dashboard = CompletableFuture.supplyAsync(() -> given().get("/api/dashboard")
                    .then().statusCode(200).extract().jsonPath());
            // The lock stays until the products and orders queries have finished while both users queries
            // still wait for it, however slowly this machine runs them. A finished statement is remembered
            // once seen: the pool may lend its connection to something else (a heartbeat) right after.
            Set<String> done = new HashSet<>();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                    .until(() -> freeQueriesDoneSince(observer, asked, done) && waitingForUsers(observer) >= 2);
            release.complete(null);
            JsonPath body = dashboard.get(20, TimeUnit.SECONDS);
            Map<String, Long> endOf = new HashMap<>();
            for (Map<String, Object> query : body.<Map<String, Object>> getList("queries")) {
                long started = ((Number) query.get("startedAtMs")).longValue();
                long elapsed = ((Number) query.get("elapsedMs")).longValue();
                endOf.put((String) query.get("name"), started + elapsed);
            }
            long usersDone = Math.min(endOf.get("users.count"), endOf.get("users.newest"));
            // The dashboard's clock stops when it has read a result, in whole milliseconds: a free query read in
            // the same millisecond as the released users query ties (pg_stat_activity above saw it done first).
            for (String free : List.of("products.count", "products.newest", "orders.count", "orders.newest")) {
                assertThat(endOf.get(free)).as("end of %s", free).isLessThanOrEqualTo(usersDone);
            }
        } finally {
            observer.closeAndAwait();
            release.complete(null);
            held.toCompletableFuture().get(20, TimeUnit.SECONDS);
            if (dashboard != null) {
                dashboard.exceptionally(failure -> null).get(20, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * How each of the four queries that do not touch users shows as done in pg_stat_activity: its statement
     * is the last one of an idle connection. The newest orders end with the read of their lines (the test
     * places an order first, so there are lines to read).
     */
    private static final Map<String, List<String>> FREE_QUERIES = Map.of(
            "products.count", List.of("SELECT count(*) AS n FROM products"),
            "orders.count", List.of("SELECT count(*) AS n FROM orders"),
            "products.newest", List.of("SELECT id, name, price_cents, stock, version, created_at FROM products ORDER BY id DESC"),
            "orders.newest", List.of("SELECT order_id, product_id, quantity, unit_price_cents FROM order_items"));

    private static boolean lockTaken(SqlConnection observer) {
        return count(observer, "SELECT count(*) AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                + "WHERE c.relname = 'users' AND l.mode = 'AccessExclusiveLock' AND l.granted") > 0;
    }

    private static long waitingForUsers(SqlConnection observer) {
        return count(observer, "SELECT count(*) AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                + "WHERE c.relname = 'users' AND NOT l.granted");
    }

    // Each of the four queries that do not touch users ran to its end on some connection since the dashboard was asked.
    private static boolean freeQueriesDoneSince(SqlConnection observer, OffsetDateTime asked, Set<String> done) {
        observer.preparedQuery("SELECT query FROM pg_stat_activity WHERE state = 'idle' AND state_change >= $1")
                .execute(Tuple.of(asked))
                .await().atMost(Duration.ofSeconds(5))
                .forEach(row -> FREE_QUERIES.forEach((name, statements) -> {
                    if (statements.stream().anyMatch(row.getString("query")::startsWith)) {
                        done.add(name);
                    }
                }));
        return done.size() == FREE_QUERIES.size();
    }

    private static OffsetDateTime now(SqlConnection observer) {
        return observer.query("SELECT clock_timestamp() AS now").execute()
                .map(rows -> rows.iterator().next().getOffsetDateTime("now"))
                .await().atMost(Duration.ofSeconds(5));
    }

    private static long count(SqlConnection observer, String sql) {
        return observer.query(sql).execute().map(rows -> rows.iterator().next().getLong("n"))
                .await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void theLimitIsValidated() {
        given().get("/api/dashboard?limit=0").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("limit"));
        given().get("/api/dashboard?limit=51").then().statusCode(400);
    }
}
