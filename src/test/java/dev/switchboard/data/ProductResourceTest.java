package dev.switchboard.data;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

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
        return given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "priceCents", priceCents, "stock", stock))
                .post("/api/products")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void createsReadsUpdatesAndDeletesAProduct() {
        long id = createProduct("Cable", 499, 10);
        given().get("/api/products/{id}", id).then().statusCode(200)
                .body("name", equalTo("Cable"), "priceCents", equalTo(499), "stock", equalTo(10));
        given().contentType(ContentType.JSON).body(Map.of("name", "Cable 2m", "priceCents", 599, "stock", 3))
                .put("/api/products/{id}", id)
                .then().statusCode(200).body("priceCents", equalTo(599), "stock", equalTo(3));
        given().get("/api/products?limit=200").then().statusCode(200).body("items.id", hasItem((int) id));
        given().delete("/api/products/{id}", id).then().statusCode(204);
        given().get("/api/products/{id}", id).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void negativePriceOrStockAndMissingFieldsAreRejected() {
        given().contentType(ContentType.JSON).body(Map.of("name", "Bad", "priceCents", -1, "stock", -5))
                .post("/api/products")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("priceCents"), "violations.field", hasItem("stock"));
        Map<String, Object> noStock = new HashMap<>(Map.of("name", "Bad", "priceCents", 1));
        given().contentType(ContentType.JSON).body(noStock).post("/api/products")
                .then().statusCode(400).body("violations.field", hasItem("stock"));
        given().contentType(ContentType.JSON).body("{\"name\":\"Bad\",\"priceCents\":\"cheap\",\"stock\":1}")
                .post("/api/products")
                .then().statusCode(400).body("detail", containsString("priceCents"));
    }

    @Test
    void textPostgresqlCannotStoreIsRejectedNamingTheField() {
        UserResourceTest.UNSTORABLE.forEach((escape, why) -> {
            String name = "text-" + UUID.randomUUID();
            long before = createProduct("before " + name, 1, 1);
            given().contentType(ContentType.JSON)
                    .body("{\"name\":\"" + name + escape + "\",\"priceCents\":1,\"stock\":1}")
                    .post("/api/products")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("violations.field", equalTo(List.of("name")), "violations[0].message", containsString(why));
            // Nothing was stored after the product made just before.
            given().get("/api/products?after=" + before)
                    .then().statusCode(200).body("items.name", not(hasItem(startsWith(name))));
        });
    }

    @Test
    void aProductInAnOrderCannotBeDeleted() {
        long user = UserResourceTest.createUser("Buyer");
        long product = createProduct("Kept", 100, 5);
        given().contentType(ContentType.JSON)
                .body(Map.of("userId", user, "items", java.util.List.of(Map.of("productId", product, "quantity", 1))))
                .post("/api/orders").then().statusCode(201);
        given().delete("/api/products/{id}", product).then().statusCode(409).contentType("application/problem+json");
        given().get("/api/products/{id}", product).then().statusCode(200).body("stock", equalTo(4));
    }
}
