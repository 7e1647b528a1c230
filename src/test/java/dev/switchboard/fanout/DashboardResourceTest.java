package dev.switchboard.fanout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

@QuarkusTest
class DashboardResourceTest {

    @Inject
    Pool pool;

    private static long create(String path, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post(path)
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
    void theQueriesRunConcurrentlyOnSeparateConnections() {
        // Hold a lock on users from another connection for a while: the users queries wait for it. Had the
        // dashboard queued its queries on one connection, everything behind them would wait as well.
        Uni<Void> lockHolder = pool.withTransaction(connection -> connection.query("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
                .execute()
                .chain(() -> Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(700))))
                .replaceWithVoid();
        var held = lockHolder.subscribeAsCompletionStage();
        try {
            // Wait until the lock is really taken before asking for the dashboard.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(this::lockTaken);
            JsonPath body = given().get("/api/dashboard").then().statusCode(200).extract().jsonPath();
            Map<String, Long> endOf = new java.util.HashMap<>();
            for (Map<String, Object> query : body.<Map<String, Object>> getList("queries")) {
                long started = ((Number) query.get("startedAtMs")).longValue();
                long elapsed = ((Number) query.get("elapsedMs")).longValue();
                endOf.put((String) query.get("name"), started + elapsed);
                assertThat(started).as("start of %s", query.get("name")).isLessThan(100);
            }
            long usersDone = Math.min(endOf.get("users.count"), endOf.get("users.newest"));
            for (String free : List.of("products.count", "products.newest", "orders.count", "orders.newest")) {
                assertThat(endOf.get(free)).as("end of %s", free).isLessThan(usersDone);
            }
        } finally {
            held.toCompletableFuture().join();
        }
    }

    private boolean lockTaken() {
        return pool.query("SELECT count(*) AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                + "WHERE c.relname = 'users' AND l.mode = 'AccessExclusiveLock' AND l.granted")
                .execute().map(rows -> rows.iterator().next().getLong("n") > 0)
                .await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void theLimitIsValidated() {
        given().get("/api/dashboard?limit=0").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("limit"));
        given().get("/api/dashboard?limit=51").then().statusCode(400);
    }
}
