package dev.switchboard.platform;

import static dev.switchboard.support.Tokens.asAdmin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.LogCapture;
import dev.switchboard.support.RawHttp;
import dev.switchboard.support.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Requests any client can send without a token, made to hurt: each gets a problem+json 4xx, is counted in
 * {@value ClientErrors#METER} by reason, and leaves no WARN or ERROR line in the log.
 */
@QuarkusTest
class HostileRequestsTest {

    private static final String OVERSIZED_NAME = "x".repeat(200_000);

    @TestHTTPResource("/")
    URL base;

    @Inject
    MeterRegistry registry;

    private LogCapture log;

    @BeforeEach
    void captureLog() {
        log = LogCapture.warningsAndErrors();
    }

    @AfterEach
    void nothingWasLoggedAtWarnOrAbove() {
        log.close();
        assertThat(log.lines()).isEmpty();
    }

    @Test
    void aChunkedBodyOverTheLimitIsA413ProblemOnPublicAndProtectedRoutes() throws Exception {
        double before = refused(ClientErrors.BODY_TOO_LARGE);
        String guest = "{\"name\":\"" + OVERSIZED_NAME + "\"}";
        String user = "{\"name\":\"" + OVERSIZED_NAME + "\",\"email\":\"chunked@example.com\"}";

        for (boolean expectContinue : List.of(false, true)) {
            assertTooLarge(send("/api/auth/guest", guest, null, true, expectContinue));
            assertTooLarge(send("/api/users", user, Tokens.admin(), true, expectContinue));
            // Without a token the limit may answer before the missing token does: either is a problem.
            RawHttp.Answer anonymous = send("/api/users", user, null, true, expectContinue);
            assertThat(anonymous.status()).isIn(401, 413);
            assertThat(anonymous.headers().get("content-type")).isEqualTo(Problem.MEDIA_TYPE);
        }
        assertThat(refused(ClientErrors.BODY_TOO_LARGE) - before).isGreaterThanOrEqualTo(4);
        asAdmin().get("/api/users?limit=200").then().statusCode(200).body("items.email", not(hasItem("chunked@example.com")));
    }

    @Test
    void aSizedBodyOverTheLimitIsRefusedBeforeItIsSentWhenTheClientAsksFirst() throws Exception {
        assertTooLarge(send("/api/auth/guest", "{\"name\":\"" + OVERSIZED_NAME + "\"}", null, false, true));
        assertTooLarge(send("/api/users", "{\"name\":\"" + OVERSIZED_NAME + "\"}", Tokens.admin(), false, true));
    }

    @Test
    void aBodyWithinTheLimitIsServedWhateverWayItComes() throws Exception {
        for (boolean chunked : List.of(false, true)) {
            for (boolean expectContinue : List.of(false, true)) {
                RawHttp.Answer answer = send("/api/auth/guest", "{\"name\":\"Within\"}", null, chunked, expectContinue);
                assertThat(answer.status()).as("chunked %s, expect %s", chunked, expectContinue).isEqualTo(200);
                assertThat(answer.body()).contains("Within (guest)");
            }
        }
    }

    @Test
    void brokenJsonAndWrongTypesAreBadRequestsNamingTheField() {
        double before = refused(ClientErrors.UNREADABLE_BODY);
        asAdmin().contentType(ContentType.JSON).body("{\"name\": \"x\", \"email\": ").post("/api/users")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("detail", containsString("not valid JSON"));
        asAdmin().contentType(ContentType.JSON).body("{\"name\": [\"x\"], \"email\": \"a@example.com\"}").post("/api/users")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("detail", containsString("name"));
        asAdmin().contentType(ContentType.JSON).body("{\"name\": \"Stock\", \"priceCents\": \"ten\", \"stock\": 1}")
                .post("/api/products")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("detail", containsString("priceCents"));
        given().contentType(ContentType.JSON).body("[\"not\", \"an\", \"object\"]").post("/api/auth/guest")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        assertThat(refused(ClientErrors.UNREADABLE_BODY) - before).isEqualTo(4);
    }

    // Sent raw: RestAssured pretty-prints a body it logs, and a deeply nested one pretty-printed fills the heap.
    @Test
    void deepNestingIsABadRequest() throws Exception {
        int depth = 2_000;
        String nested = "[".repeat(depth) + "]".repeat(depth);
        RawHttp.Answer answer = send("/api/auth/guest", "{\"extra\": " + nested + ", \"name\": \"Deep\"}", null, false, false);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.headers().get("content-type")).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(answer.body()).contains("depth");
    }

    @Test
    void invalidUtf8IsABadRequest() {
        byte[] body = "{\"name\": \"ab\"}".getBytes(StandardCharsets.US_ASCII);
        body[11] = (byte) 0xC3; // a lead byte followed by a quote, not by a continuation byte
        given().contentType("application/json; charset=UTF-8").body(body).post("/api/auth/guest")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("detail", containsString("UTF-8"));
    }

    // Refused by Vert.x's HTTP codec before any handler of Quarkus' (or ours) runs: with an empty body, as documented.
    @Test
    void hugeHeadersAndUrlsAreRefused() {
        given().header("X-Padding", "x".repeat(40_000)).get("/api/products")
                .then().statusCode(431).body(equalTo(""));
        given().get("/api/products?limit=" + "1".repeat(10_000))
                .then().statusCode(414).body(equalTo(""));
        given().get("/api/products").then().statusCode(200);
    }

    @Test
    void manyParametersChangeNothing() {
        for (int i = 0; i < 3; i++) {
            asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Param " + i, "priceCents", 1, "stock", 1))
                    .post("/api/products").then().statusCode(201);
        }
        String junk = IntStream.range(0, 300).mapToObj(i -> "p" + i + "=" + i).collect(Collectors.joining("&"));
        given().get("/api/products?limit=2&" + junk).then().statusCode(200).body("items.size()", equalTo(2));
        given().get("/api/products?limit=0&limit=5").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
    }

    private static void assertTooLarge(RawHttp.Answer answer) {
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.headers().get("content-type")).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(answer.body()).contains("\"status\":413").contains("larger than the limit");
    }

    private double refused(String reason) {
        return registry.counter(ClientErrors.METER, "reason", reason).count();
    }

    private RawHttp.Answer send(String path, String json, String token, boolean chunked, boolean expectContinue)
            throws Exception {
        Map<String, String> headers = token == null ? Map.of("Content-Type", "application/json")
                : Map.of("Content-Type", "application/json", "Authorization", "Bearer " + token);
        return RawHttp.post(base.getPort(), path, headers, json.getBytes(StandardCharsets.UTF_8), chunked, expectContinue);
    }
}
