package dev.switchboard.identity;

import static dev.switchboard.support.Tokens.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The self-signed mode: its key files, the admin token it writes and the guest tokens it issues. */
@QuarkusTest
class GuestTokensTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode claims(String token) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    @Test
    void aGuestTokenIsShortLivedMarkedAndItsOwn() throws Exception {
        Instant before = Instant.now();
        JsonPath first = given().contentType(ContentType.JSON).body(Map.of("name", "Ada Lovelace")).post("/api/auth/guest")
                .then().statusCode(200).contentType("application/json")
                .body("name", equalTo("Ada Lovelace (guest)")).extract().jsonPath();
        String second = given().contentType(ContentType.JSON).body(Map.of("name", "Ada Lovelace")).post("/api/auth/guest")
                .then().statusCode(200).extract().path("token");

        Instant expiresAt = Instant.parse(first.getString("expiresAt"));
        assertThat(expiresAt).isAfter(before).isBeforeOrEqualTo(Instant.now().plus(Duration.ofHours(1)));
        JsonNode claims = claims(first.getString("token"));
        assertThat(claims.path("iss").asText()).isEqualTo("switchboard-local");
        assertThat(claims.path("preferred_username").asText()).isEqualTo("Ada Lovelace (guest)");
        assertThat(claims.path("groups").toString()).isEqualTo("[\"guest\"]");
        assertThat(claims.path("exp").asLong()).isEqualTo(expiresAt.getEpochSecond());
        assertThat(claims.path("sub").asText()).startsWith("guest:").isNotEqualTo(claims(second).path("sub").asText());
        with(first.getString("token")).get("/api/dashboard").then().statusCode(200);
    }

    @Test
    void aGuestRenewsItsTokenAndStaysTheSameUser() throws Exception {
        String first = given().contentType(ContentType.JSON).body(Map.of("name", "Ada")).post("/api/auth/guest")
                .then().statusCode(200).extract().path("token");
        JsonPath renewed = with(first).post("/api/auth/guest/renewal").then().statusCode(200).contentType("application/json")
                .body("name", equalTo("Ada (guest)")).extract().jsonPath();
        JsonNode before = claims(first);
        JsonNode after = claims(renewed.getString("token"));
        assertThat(after.path("sub").asText()).isEqualTo(before.path("sub").asText());
        assertThat(after.path("preferred_username").asText()).isEqualTo("Ada (guest)");
        assertThat(after.path("groups").toString()).isEqualTo("[\"guest\"]");
        assertThat(after.path("exp").asLong()).isGreaterThanOrEqualTo(before.path("exp").asLong());

        // Only a guest renews, and only with a valid token: no one turns another token into a guest's.
        given().post("/api/auth/guest/renewal").then().statusCode(401).contentType("application/problem+json");
        Tokens.asAdmin().post("/api/auth/guest/renewal").then().statusCode(403).contentType("application/problem+json");
        with(Tokens.user("someone@example.com")).post("/api/auth/guest/renewal").then().statusCode(403);
    }

    @Test
    void aGuestNameCannotCarryTheMarkOrBeEmpty() {
        for (Object name : new Object[] { "Ada (guest)", "", " Ada", "x".repeat(33), "a\u0000b" }) {
            given().contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/auth/guest")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        given().contentType(ContentType.JSON).body("{}").post("/api/auth/guest").then().statusCode(400);
    }

    @Test
    void theKeysAndTheAdminTokenAreTheOwnersOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Tokens.KEYS.resolve("private.pem"))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(Tokens.KEYS.resolve("public.pem"))).startsWith("-----BEGIN PUBLIC KEY-----");
        String admin = Files.readString(Tokens.KEYS.resolve("admin.token")).trim();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Tokens.KEYS.resolve("admin.token"))))
                .isEqualTo("rw-------");
        with(admin).get("/api/users").then().statusCode(200);
        assertThat(claims(admin).path("groups").toString()).isEqualTo("[\"switchboard-admin\"]");
    }
}
