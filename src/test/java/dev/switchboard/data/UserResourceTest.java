package dev.switchboard.data;

import static dev.switchboard.support.Tokens.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import dev.switchboard.support.Tokens;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class UserResourceTest {

    @TestHTTPResource("/api/users")
    URL usersUrl;

    static long createUser(String name) {
        return asAdmin().contentType(ContentType.JSON)
                .body(Map.of("name", name, "email", name.replace(' ', '.') + "-" + UUID.randomUUID() + "@example.com"))
                .post("/api/users")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void createsReadsUpdatesAndDeletesAUser() {
        String email = "ada-" + UUID.randomUUID() + "@example.com";
        long id = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("name", "Ada", "email", email))
                .post("/api/users")
                .then().statusCode(201)
                .header("Location", containsString("/api/users/"))
                .body("name", equalTo("Ada"), "email", equalTo(email), "createdAt", notNullValue())
                .extract().jsonPath().getLong("id");

        asAdmin().get("/api/users/{id}", id).then().statusCode(200).header("ETag", "\"1\"")
                .body("email", equalTo(email), "version", equalTo(1));

        asAdmin().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(Map.of("name", "Ada L.", "email", email))
                .put("/api/users/{id}", id)
                .then().statusCode(200).header("ETag", "\"2\"").body("name", equalTo("Ada L."), "version", equalTo(2));
        asAdmin().get("/api/users/{id}", id).then().header("ETag", "\"2\"").body("name", equalTo("Ada L."));

        asAdmin().header("If-Match", "\"2\"").delete("/api/users/{id}", id).then().statusCode(204);
        asAdmin().get("/api/users/{id}", id).then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404), "detail", equalTo("user " + id + " does not exist"));
        asAdmin().header("If-Match", "\"2\"").delete("/api/users/{id}", id).then().statusCode(404);
        asAdmin().header("If-Match", "*").delete("/api/users/{id}", id).then().statusCode(404);
    }

    @Test
    void writesNeedTheETagTheyAreBasedOn() {
        long id = createUser("Careful");
        Map<String, String> body = Map.of("name", "Careful 2", "email", "careful-" + UUID.randomUUID() + "@example.com");
        asAdmin().contentType(ContentType.JSON).body(body).put("/api/users/{id}", id)
                .then().statusCode(428).contentType("application/problem+json")
                .body("title", equalTo("Precondition Required"), "detail", containsString("If-Match"),
                        "detail", containsString("ETag from GET /api/users/" + id));
        asAdmin().delete("/api/users/{id}", id).then().statusCode(428).contentType("application/problem+json");

        asAdmin().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(body).put("/api/users/{id}", id)
                .then().statusCode(200).header("ETag", "\"2\"");
        // Another client still holding version 1 would overwrite that change: refused.
        asAdmin().contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(Map.of("name", "Stale", "email", "stale-" + UUID.randomUUID() + "@example.com"))
                .put("/api/users/{id}", id)
                .then().statusCode(412).contentType("application/problem+json")
                .body("title", equalTo("Precondition Failed"), "detail", containsString("changed"),
                        "currentVersion", equalTo(2), "currentETag", equalTo("\"2\""));
        asAdmin().header("If-Match", "\"1\"").delete("/api/users/{id}", id).then().statusCode(412);
        asAdmin().get("/api/users/{id}", id).then().statusCode(200).body("name", equalTo("Careful 2"), "version", equalTo(2));
        asAdmin().contentType(ContentType.JSON).header("If-Match", "3").body(body).put("/api/users/{id}", id)
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("If-Match"));
    }

    @Test
    void aCreateRetriedWithItsIdempotencyKeyAnswersTheSameAndCreatesOnce() {
        String key = UUID.randomUUID().toString();
        Map<String, String> body = Map.of("name", "Once", "email", "once-" + key + "@example.com");
        var first = asAdmin().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post("/api/users")
                .then().statusCode(201).header("ETag", "\"1\"").header("Idempotent-Replayed", nullValue())
                .extract();
        var again = asAdmin().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post("/api/users")
                .then().statusCode(201).header("Idempotent-Replayed", "true").extract();
        assertThat(again.body().asString()).isEqualTo(first.body().asString());
        assertThat(again.header("Location")).isEqualTo(first.header("Location")).contains("/api/users/");
        assertThat(again.header("ETag")).isEqualTo("\"1\"");
        // Without the key the same body is a second create, and the email is taken.
        asAdmin().contentType(ContentType.JSON).body(body).post("/api/users").then().statusCode(409);
    }

    @Test
    void duplicateEmailIsAConflictWhateverTheCase() {
        String email = "dup-" + UUID.randomUUID() + "@example.com";
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "One", "email", email))
                .post("/api/users").then().statusCode(201);
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Two", "email", email.toUpperCase()))
                .post("/api/users")
                .then().statusCode(409).contentType("application/problem+json")
                .body("title", equalTo("Conflict"), "detail", containsString("email is already used"), "field", equalTo("email"));
    }

    @Test
    void invalidBodiesAreRejectedWithTheFieldAndWhy() {
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "", "email", "not-an-email"))
                .post("/api/users")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400),
                        "violations.field", hasItem("name"),
                        "violations.field", hasItem("email"),
                        "detail", containsString("email"));

        asAdmin().contentType(ContentType.JSON).body("{\"name\": \"x\", ")
                .post("/api/users")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("not valid JSON"));

        asAdmin().contentType(ContentType.JSON).body("")
                .post("/api/users")
                .then().statusCode(400).contentType("application/problem+json");
    }

    // JSON can carry U+0000 and lone surrogates; PostgreSQL text cannot hold them (written as JSON escapes).
    static final Map<String, String> UNSTORABLE = Map.of(
            "\\u0000", "U+0000 (NUL)",
            "\\ud800", "unpaired surrogate U+D800");

    @Test
    void textPostgresqlCannotStoreIsRejectedNamingTheField() {
        UNSTORABLE.forEach((escape, why) -> {
            String email = "text-" + UUID.randomUUID() + "@example.com";
            asAdmin().contentType(ContentType.JSON).body("{\"name\":\"a" + escape + "b\",\"email\":\"" + email + "\"}")
                    .post("/api/users")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("violations.field", equalTo(List.of("name")), "violations[0].message", containsString(why));
            asAdmin().contentType(ContentType.JSON).body("{\"name\":\"Ok\",\"email\":\"a" + escape + email + "\"}")
                    .post("/api/users")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("violations.findAll { it.field == 'email' }.message", hasItem(containsString(why)));
            // Nothing was stored: the same email is still free.
            asAdmin().contentType(ContentType.JSON).body(Map.of("name", "ab", "email", email))
                    .post("/api/users").then().statusCode(201);
        });
    }

    @Test
    void wrongContentTypeAndOversizedBodiesAreRefused() throws Exception {
        asAdmin().contentType(ContentType.TEXT).body("name=x")
                .post("/api/users")
                .then().statusCode(415).contentType("application/problem+json")
                .body("detail", containsString("application/json"));

        String huge = "x".repeat(200_000);
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", huge, "email", "big@example.com"))
                .post("/api/users")
                .then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("larger than the limit"));
        assertThat(postChunked("{\"name\":\"" + huge + "\",\"email\":\"chunked@example.com\"}")).isEqualTo(413);
        asAdmin().get("/api/users?limit=200").then().statusCode(200)
                .body("items.email", not(hasItem("big@example.com")), "items.email", not(hasItem("chunked@example.com")));
    }

    // A body of unknown length goes out chunked, without Content-Length.
    private int postChunked(String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(usersUrl.toURI())
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + Tokens.admin())
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .build();
        // HTTP/1.1: the JDK client would otherwise try an h2c upgrade, and the refused body then ends in
        // a GOAWAY that can reach the client before the 413.
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void badQueryParametersAreRejected() {
        asAdmin().get("/api/users?limit=0").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("limit"));
        asAdmin().get("/api/users?limit=201").then().statusCode(400);
        asAdmin().get("/api/users?after=-1").then().statusCode(400).body("violations[0].field", equalTo("after"));
        asAdmin().get("/api/users?limit=ten").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("limit"));
    }

    @Test
    void paginatesWithAKeysetCursorAcrossPages() {
        List<Long> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(createUser("Pager " + i));
        }
        List<Long> seen = new ArrayList<>();
        Long after = 0L;
        int pages = 0;
        while (after != null) {
            JsonPath page = asAdmin().queryParam("limit", 3).queryParam("after", after)
                    .get("/api/users").then().statusCode(200).extract().jsonPath();
            List<Long> ids = page.getList("items.id", Long.class);
            assertThat(ids.size()).isLessThanOrEqualTo(3);
            seen.addAll(ids);
            after = page.get("next") == null ? null : page.getLong("next");
            if (after != null) {
                assertThat(after).isEqualTo(ids.get(ids.size() - 1));
            }
            pages++;
        }
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(seen).containsAll(created).isSorted();
        assertThat(new HashSet<>(seen)).hasSameSizeAs(seen);
        asAdmin().queryParam("after", seen.get(seen.size() - 1)).get("/api/users")
                .then().statusCode(200).body("items.size()", equalTo(0), "next", nullValue());
    }

    @Test
    void unknownIdsAndPathsAreNotFound() {
        asAdmin().get("/api/users/999999999").then().statusCode(404).contentType("application/problem+json");
        asAdmin().contentType(ContentType.JSON).header("If-Match", "*").body(Map.of("name", "x", "email", "x@example.com"))
                .put("/api/users/999999999").then().statusCode(404);
        asAdmin().get("/api/users/abc").then().statusCode(400).contentType("application/problem+json");
    }
}
