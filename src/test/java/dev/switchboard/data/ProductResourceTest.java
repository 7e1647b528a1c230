package dev.switchboard.data;

import static dev.switchboard.support.Tokens.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class ProductResourceTest {

    static long createProduct(String name, long priceCents, int stock) {
        return asAdmin().contentType(ContentType.JSON)
                .body(Map.of("name", name, "priceCents", priceCents, "stock", stock))
                .post("/api/products")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    static String etag(long product) {
        return asAdmin().get("/api/products/{id}", product).then().statusCode(200).extract().header("ETag");
    }

    private static int stock(long product) {
        return asAdmin().get("/api/products/{id}", product).then().statusCode(200).extract().path("stock");
    }

    private static void order(long user, long product, int quantity) {
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("userId", user, "items", List.of(Map.of("productId", product, "quantity", quantity))))
                .post("/api/orders").then().statusCode(201);
    }

    @Test
    void anUpdateBasedOnStockAnOrderHasSinceTakenIsRefused() {
        long user = UserResourceTest.createUser("Shopper");
        long product = createProduct("Switch", 1500, 10);
        String read = etag(product);
        assertThat(read).isEqualTo("\"1\"");

        order(user, product, 3);

        // A price change based on the old read would put the 3 sold units back: stock 10 again.
        asAdmin().contentType(ContentType.JSON).header("If-Match", read)
                .body(Map.of("name", "Switch", "priceCents", 1200, "stock", 10))
                .put("/api/products/{id}", product)
                .then().statusCode(412).contentType("application/problem+json")
                .body("status", equalTo(412), "detail", containsString("has changed since you read it"),
                        "currentVersion", equalTo(2), "currentETag", equalTo("\"2\""));
        assertThat(stock(product)).isEqualTo(7);

        String fresh = etag(product);
        assertThat(fresh).isEqualTo("\"2\"");
        asAdmin().contentType(ContentType.JSON).header("If-Match", fresh)
                .body(Map.of("name", "Switch", "priceCents", 1200, "stock", 7))
                .put("/api/products/{id}", product)
                .then().statusCode(200).header("ETag", "\"3\"").body("priceCents", equalTo(1200), "stock", equalTo(7));
    }

    @Test
    void writesWithoutIfMatchArePreconditionRequired() {
        long product = createProduct("Guarded", 100, 5);
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Guarded", "priceCents", 1, "stock", 1))
                .put("/api/products/{id}", product)
                .then().statusCode(428).contentType("application/problem+json")
                .body("detail", containsString("If-Match"), "detail", containsString("ETag from GET /api/products/" + product));
        asAdmin().delete("/api/products/{id}", product).then().statusCode(428).contentType("application/problem+json");
        asAdmin().get("/api/products/{id}", product).then().statusCode(200)
                .header("ETag", "\"1\"").body("priceCents", equalTo(100), "stock", equalTo(5));
    }

    @Test
    void aDeleteWithAStaleETagIsRefusedAndDeletesNothing() {
        long user = UserResourceTest.createUser("Reader");
        long product = createProduct("Doomed", 100, 5);
        String read = etag(product);
        order(user, product, 1);
        asAdmin().header("If-Match", read).delete("/api/products/{id}", product)
                .then().statusCode(412).contentType("application/problem+json").body("currentVersion", equalTo(2));
        asAdmin().get("/api/products/{id}", product).then().statusCode(200).body("stock", equalTo(4));

        long unordered = createProduct("Unordered", 100, 5);
        asAdmin().header("If-Match", "*").delete("/api/products/{id}", unordered).then().statusCode(204);
        asAdmin().header("If-Match", "*").delete("/api/products/{id}", unordered).then().statusCode(404);
    }

    @Test
    void ifMatchIsReadAsTheHttpStandardSays() {
        long product = createProduct("Standard", 100, 5);
        Map<String, Object> body = Map.of("name", "Standard", "priceCents", 100, "stock", 6);
        for (String malformed : List.of("1", "\"1", "", "\"1\" \"2\"")) {
            asAdmin().contentType(ContentType.JSON).header("If-Match", malformed).body(body).put("/api/products/{id}", product)
                    .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("If-Match"));
        }
        // If-Match compares strongly: a weak tag never matches.
        asAdmin().contentType(ContentType.JSON).header("If-Match", "W/\"1\"").body(body).put("/api/products/{id}", product)
                .then().statusCode(412);
        asAdmin().contentType(ContentType.JSON).header("If-Match", "\"7\", \"1\"").body(body).put("/api/products/{id}", product)
                .then().statusCode(200).header("ETag", "\"2\"");
        asAdmin().contentType(ContentType.JSON).header("If-Match", "*").body(body).put("/api/products/{id}", product)
                .then().statusCode(200).header("ETag", "\"3\"");
    }

    @Test
    void createsReadsUpdatesAndDeletesAProduct() {
        long id = createProduct("Cable", 499, 10);
        asAdmin().get("/api/products/{id}", id).then().statusCode(200).header("ETag", "\"1\"")
                .body("name", equalTo("Cable"), "priceCents", equalTo(499), "stock", equalTo(10), "version", equalTo(1));
        asAdmin().contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(Map.of("name", "Cable 2m", "priceCents", 599, "stock", 3))
                .put("/api/products/{id}", id)
                .then().statusCode(200).header("ETag", "\"2\"")
                .body("priceCents", equalTo(599), "stock", equalTo(3), "version", equalTo(2));
        asAdmin().get("/api/products?limit=200").then().statusCode(200).body("items.id", hasItem((int) id));
        asAdmin().header("If-Match", "\"2\"").delete("/api/products/{id}", id).then().statusCode(204);
        asAdmin().get("/api/products/{id}", id).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void negativePriceOrStockAndMissingFieldsAreRejected() {
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Bad", "priceCents", -1, "stock", -5))
                .post("/api/products")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("priceCents"), "violations.field", hasItem("stock"));
        Map<String, Object> noStock = new HashMap<>(Map.of("name", "Bad", "priceCents", 1));
        asAdmin().contentType(ContentType.JSON).body(noStock).post("/api/products")
                .then().statusCode(400).body("violations.field", hasItem("stock"));
        asAdmin().contentType(ContentType.JSON).body("{\"name\":\"Bad\",\"priceCents\":\"cheap\",\"stock\":1}")
                .post("/api/products")
                .then().statusCode(400).body("detail", containsString("priceCents"));
    }

    @Test
    void textPostgresqlCannotStoreIsRejectedNamingTheField() {
        UserResourceTest.UNSTORABLE.forEach((escape, why) -> {
            String name = "text-" + UUID.randomUUID();
            long before = createProduct("before " + name, 1, 1);
            asAdmin().contentType(ContentType.JSON)
                    .body("{\"name\":\"" + name + escape + "\",\"priceCents\":1,\"stock\":1}")
                    .post("/api/products")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("violations.field", equalTo(List.of("name")), "violations[0].message", containsString(why));
            // Nothing was stored after the product made just before.
            asAdmin().get("/api/products?after=" + before)
                    .then().statusCode(200).body("items.name", not(hasItem(startsWith(name))));
        });
    }

    @Test
    void aProductInAnOrderCannotBeDeleted() {
        long user = UserResourceTest.createUser("Buyer");
        long product = createProduct("Kept", 100, 5);
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("userId", user, "items", List.of(Map.of("productId", product, "quantity", 1))))
                .post("/api/orders").then().statusCode(201);
        asAdmin().header("If-Match", etag(product)).delete("/api/products/{id}", product)
                .then().statusCode(409).contentType("application/problem+json");
        asAdmin().get("/api/products/{id}", product).then().statusCode(200).body("stock", equalTo(4));
    }
}
