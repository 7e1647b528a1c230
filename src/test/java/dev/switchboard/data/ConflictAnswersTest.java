package dev.switchboard.data;

import static dev.switchboard.support.Tokens.asAdmin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Every 409 the API documents, provoked for real and read: it speaks of resources and fields, never of the database. */
@QuarkusTest
class ConflictAnswersTest {

    // What PostgreSQL's messages are made of: tables, relations, indexes, constraints, key values, quoted identifiers.
    private static final Pattern DATABASE_WORDING = Pattern.compile("(?i)\\b(table|relation|index|constraint|violates"
            + "|key|column|sql|postgres\\w*|lower|fkey|pkey|users|order_items)\\b|\\(.*\\)=\\(|\"\\w+\"|_\\w+");

    @Test
    void everyDocumentedConflictIsAnsweredInTheApisWords() throws Exception {
        long user = UserResourceTest.createUser("Taken");
        String email = asAdmin().get("/api/users/{id}", user).then().extract().path("email");
        long other = UserResourceTest.createUser("Other");
        long product = ProductResourceTest.createProduct("Ordered", 100, 1);
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("userId", user, "items", List.of(Map.of("productId", product, "quantity", 1))))
                .post("/api/orders").then().statusCode(201);

        Map<String, Response> conflicts = Map.of(
                "createUser", asAdmin().contentType(ContentType.JSON)
                        .body(Map.of("name", "Copy", "email", email.toUpperCase())).post("/api/users"),
                "replaceUser", asAdmin().contentType(ContentType.JSON).header("If-Match", "*")
                        .body(Map.of("name", "Other", "email", email)).put("/api/users/{id}", other),
                "deleteUser", asAdmin().header("If-Match", "*").delete("/api/users/{id}", user),
                "deleteProduct", asAdmin().header("If-Match", "*").delete("/api/products/{id}", product),
                "placeOrder", asAdmin().contentType(ContentType.JSON)
                        .body(Map.of("userId", user, "items", List.of(Map.of("productId", product, "quantity", 1))))
                        .post("/api/orders"));

        assertThat(conflicts.keySet()).as("the operations documenting a 409").isEqualTo(documentedConflicts());
        conflicts.forEach((operation, answer) -> {
            assertThat(answer.statusCode()).as(operation).isEqualTo(409);
            assertThat(answer.contentType()).as(operation).startsWith("application/problem+json");
            assertThat(answer.jsonPath().getString("detail")).as(operation).doesNotContainPattern(DATABASE_WORDING);
            assertThat(answer.body().asString()).as(operation).doesNotContainIgnoringCase("constraint")
                    .doesNotContainIgnoringCase("table").doesNotContain("Key (");
        });
        for (String taken : List.of("createUser", "replaceUser")) {
            assertThat(conflicts.get(taken).jsonPath().getString("resource")).as(taken).isEqualTo("user");
            assertThat(conflicts.get(taken).jsonPath().getString("field")).as(taken).isEqualTo("email");
            assertThat(conflicts.get(taken).jsonPath().getString("detail")).as(taken).contains("email is already used");
        }
        assertThat(conflicts.get("deleteUser").jsonPath().getString("resource")).isEqualTo("user");
        assertThat(conflicts.get("deleteUser").jsonPath().getString("detail")).contains("has orders");
        assertThat(conflicts.get("deleteProduct").jsonPath().getString("resource")).isEqualTo("product");
        assertThat(conflicts.get("deleteProduct").jsonPath().getString("detail")).contains("part of orders");
    }

    private static Set<String> documentedConflicts() throws Exception {
        JsonNode paths = new ObjectMapper().readTree(given().get("/q/openapi?format=json").asString()).path("paths");
        Set<String> operations = new HashSet<>();
        paths.forEach(path -> path.forEach(operation -> {
            if (operation.path("responses").has("409")) {
                operations.add(operation.path("operationId").asText());
            }
        }));
        return operations;
    }
}
