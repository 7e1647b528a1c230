package dev.switchboard.data;

import static dev.switchboard.support.Tokens.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

@QuarkusTest
class OrderResourceTest {

    private static Map<String, Object> item(long productId, int quantity) {
        return Map.of("productId", productId, "quantity", quantity);
    }

    private static int stock(long productId) {
        return asAdmin().get("/api/products/{id}", productId).then().statusCode(200).extract().path("stock");
    }

    private static int orderCount(long userId) {
        return asAdmin().queryParam("userId", userId).queryParam("limit", 200).get("/api/orders")
                .then().statusCode(200).extract().jsonPath().getList("items").size();
    }

    @Test
    void placingAnOrderTakesStockAndStoresTheOrder() {
        long user = UserResourceTest.createUser("Orderer");
        long cable = ProductResourceTest.createProduct("Cable", 250, 10);
        long plug = ProductResourceTest.createProduct("Plug", 1000, 2);

        long orderId = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("userId", user, "items", List.of(item(cable, 3), item(plug, 2), item(cable, 1))))
                .post("/api/orders")
                .then().statusCode(201)
                .header("Location", containsString("/api/orders/"))
                .body("userId", equalTo((int) user), "totalCents", equalTo(4 * 250 + 2 * 1000),
                        "items.size()", equalTo(2))
                .extract().jsonPath().getLong("id");

        assertThat(stock(cable)).isEqualTo(6);
        assertThat(stock(plug)).isZero();
        asAdmin().get("/api/orders/{id}", orderId).then().statusCode(200)
                .body("items.productId", hasItem((int) cable), "items.find { it.productId == " + cable + " }.quantity",
                        equalTo(4));
        asAdmin().queryParam("userId", user).get("/api/orders").then().statusCode(200)
                .body("items.id", hasItem((int) orderId));
    }

    @Test
    void insufficientStockIsAConflictAndChangesNothing() {
        long user = UserResourceTest.createUser("Hopeful");
        long plenty = ProductResourceTest.createProduct("Plenty", 100, 50);
        long scarce = ProductResourceTest.createProduct("Scarce", 100, 1);

        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("userId", user, "items", List.of(item(plenty, 5), item(scarce, 2))))
                .post("/api/orders")
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("Insufficient stock for product " + scarce),
                        "shortages[0].available", equalTo(1));

        assertThat(stock(plenty)).isEqualTo(50);
        assertThat(stock(scarce)).isEqualTo(1);
        assertThat(orderCount(user)).isZero();
    }

    @Test
    void concurrentOrdersNeverOversell() throws Exception {
        long user = UserResourceTest.createUser("Rush");
        long product = ProductResourceTest.createProduct("Last few", 100, 5);
        ExecutorService clients = Executors.newFixedThreadPool(12);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                answers.add(clients.submit(() -> asAdmin().contentType(ContentType.JSON)
                        .body(Map.of("userId", user, "items", List.of(item(product, 1))))
                        .post("/api/orders").then().extract().statusCode()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get(30, TimeUnit.SECONDS));
            }
            assertThat(statuses).containsOnly(201, 409);
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(5);
        } finally {
            clients.shutdownNow();
        }
        assertThat(stock(product)).isZero();
        assertThat(orderCount(user)).isEqualTo(5);
    }

    @Test
    void unknownUserOrProductIsNotFoundAndChangesNothing() {
        long user = UserResourceTest.createUser("Lost");
        long product = ProductResourceTest.createProduct("Real", 100, 5);
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("userId", 999_999_999, "items", List.of(item(product, 1))))
                .post("/api/orders").then().statusCode(404).body("detail", containsString("user 999999999"));
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("userId", user, "items", List.of(item(product, 1), item(999_999_998, 1))))
                .post("/api/orders").then().statusCode(404).body("detail", containsString("product 999999998"));
        assertThat(stock(product)).isEqualTo(5);
        assertThat(orderCount(user)).isZero();
        asAdmin().get("/api/orders/999999999").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void invalidOrdersAreRejectedBeforeTheDatabase() {
        asAdmin().contentType(ContentType.JSON).body(Map.of("userId", 1, "items", List.of()))
                .post("/api/orders").then().statusCode(400).body("violations.field", hasItem("items"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("userId", 1, "items", List.of(item(1, 0))))
                .post("/api/orders").then().statusCode(400).body("violations.field", hasItem("items[0].quantity"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", List.of(item(1, 1))))
                .post("/api/orders").then().statusCode(400).body("violations.field", hasItem("userId"));
    }

    @Test
    void aUserWithOrdersCannotBeDeleted() {
        long user = UserResourceTest.createUser("Loyal");
        long product = ProductResourceTest.createProduct("Thing", 100, 5);
        asAdmin().contentType(ContentType.JSON).body(Map.of("userId", user, "items", List.of(item(product, 1))))
                .post("/api/orders").then().statusCode(201);
        asAdmin().header("If-Match", "\"1\"").delete("/api/users/{id}", user)
                .then().statusCode(409).contentType("application/problem+json");
        asAdmin().get("/api/users/{id}", user).then().statusCode(200);
    }

    private static ExtractableResponse<Response> placeWithKey(
            String key, long user, long product, int quantity) {
        return asAdmin().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("userId", user, "items", List.of(item(product, quantity))))
                .post("/api/orders").then().extract();
    }

    @Test
    void anOrderRetriedWithItsIdempotencyKeyIsPlacedOnce() {
        long user = UserResourceTest.createUser("Retrier");
        long product = ProductResourceTest.createProduct("Once only", 300, 10);
        String key = UUID.randomUUID().toString();

        var first = placeWithKey(key, user, product, 4);
        var again = placeWithKey(key, user, product, 4);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.body().asString()).isEqualTo(first.body().asString());
        assertThat(again.header("Location")).isEqualTo(first.header("Location")).contains("/api/orders/");
        assertThat(again.contentType()).startsWith("application/json");
        assertThat(stock(product)).isEqualTo(6);
        assertThat(orderCount(user)).isEqualTo(1);
    }

    @Test
    void anIdempotencyKeyReusedForAnotherRequestIsUnprocessable() {
        long user = UserResourceTest.createUser("Reuser");
        long product = ProductResourceTest.createProduct("Reused", 300, 10);
        String key = UUID.randomUUID().toString();
        assertThat(placeWithKey(key, user, product, 1).statusCode()).isEqualTo(201);

        asAdmin().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("userId", user, "items", List.of(item(product, 2))))
                .post("/api/orders")
                .then().statusCode(422).contentType("application/problem+json")
                .body("status", equalTo(422), "detail", containsString("Idempotency-Key"));
        assertThat(stock(product)).isEqualTo(9);
        assertThat(orderCount(user)).isEqualTo(1);
    }

    @Test
    void concurrentRequestsWithTheSameKeyPlaceOneOrder() throws Exception {
        long user = UserResourceTest.createUser("Double clicker");
        long product = ProductResourceTest.createProduct("Contended", 100, 50);
        String key = UUID.randomUUID().toString();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<ExtractableResponse<Response>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                answers.add(clients.submit(() -> placeWithKey(key, user, product, 2)));
            }
            List<String> bodies = new ArrayList<>();
            List<String> replayed = new ArrayList<>();
            for (var answer : answers) {
                var response = answer.get(30, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(201);
                bodies.add(response.body().asString());
                replayed.add(String.valueOf(response.header("Idempotent-Replayed")));
            }
            assertThat(bodies).containsOnly(bodies.get(0));
            assertThat(replayed).filteredOn("null"::equals).hasSize(1);
        } finally {
            clients.shutdownNow();
        }
        assertThat(stock(product)).isEqualTo(48);
        assertThat(orderCount(user)).isEqualTo(1);
    }

    @Test
    void aFailedCreateKeepsNoKeySoItsRetryRunsAgain() {
        long user = UserResourceTest.createUser("Patient");
        long product = ProductResourceTest.createProduct("Back soon", 100, 1);
        String key = UUID.randomUUID().toString();
        assertThat(placeWithKey(key, user, product, 2).statusCode()).isEqualTo(409);

        asAdmin().contentType(ContentType.JSON).header("If-Match", ProductResourceTest.etag(product))
                .body(Map.of("name", "Back soon", "priceCents", 100, "stock", 5))
                .put("/api/products/{id}", product).then().statusCode(200);

        var retried = placeWithKey(key, user, product, 2);
        assertThat(retried.statusCode()).isEqualTo(201);
        assertThat(retried.header("Idempotent-Replayed")).isNull();
        assertThat(stock(product)).isEqualTo(3);
    }

    @Test
    void invalidIdempotencyKeysAreRejected() {
        long user = UserResourceTest.createUser("Sloppy");
        long product = ProductResourceTest.createProduct("Keyed", 100, 5);
        for (String key : List.of("", "has space", "x".repeat(256), "caf\u00e9")) {
            var answer = placeWithKey(key, user, product, 1);
            assertThat(answer.statusCode()).as("key '%s'", key).isEqualTo(400);
            assertThat(answer.contentType()).isEqualTo("application/problem+json");
            assertThat(answer.jsonPath().getString("detail")).contains("Idempotency-Key");
        }
        assertThat(placeWithKey("x".repeat(255), user, product, 1).statusCode()).isEqualTo(201);
        assertThat(stock(product)).isEqualTo(4);
    }

    @Test
    void aKeyIsScopedToItsEndpoint() {
        String key = UUID.randomUUID().toString();
        asAdmin().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("name", "Scoped", "email", "scoped-" + key + "@example.com"))
                .post("/api/users").then().statusCode(201).header("Idempotent-Replayed", nullValue());
        long product = asAdmin().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("name", "Scoped", "priceCents", 100, "stock", 5))
                .post("/api/products").then().statusCode(201).header("Idempotent-Replayed", nullValue())
                .extract().jsonPath().getLong("id");
        long user = UserResourceTest.createUser("Scoped buyer");
        var placed = placeWithKey(key, user, product, 1);
        assertThat(placed.statusCode()).isEqualTo(201);
        assertThat(placed.header("Idempotent-Replayed")).isNull();
        assertThat(orderCount(user)).isEqualTo(1);
    }

    @Test
    void ordersPaginateAcrossPages() {
        long user = UserResourceTest.createUser("Frequent");
        long product = ProductResourceTest.createProduct("Often", 10, 100);
        for (int i = 0; i < 5; i++) {
            asAdmin().contentType(ContentType.JSON).body(Map.of("userId", user, "items", List.of(item(product, 1))))
                    .post("/api/orders").then().statusCode(201);
        }
        var first = asAdmin().queryParam("userId", user).queryParam("limit", 3).get("/api/orders")
                .then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("items")).hasSize(3);
        long next = first.getLong("next");
        asAdmin().queryParam("userId", user).queryParam("limit", 3).queryParam("after", next).get("/api/orders")
                .then().statusCode(200).body("items.size()", equalTo(2));
    }
}
