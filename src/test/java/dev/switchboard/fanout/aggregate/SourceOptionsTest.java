package dev.switchboard.fanout.aggregate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.Upstreams;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Server-Timing, field selection, caching with singleflight, and hedged requests, against real stubs. */
@QuarkusTest
class SourceOptionsTest {

    @Inject
    InFlightLimiter limiter;

    @AfterEach
    void openTheGate() {
        Upstreams.gate("shared", true);
    }

    private static Map<String, Object> only(JsonPath body) {
        return body.getMap("sources[0]");
    }

    @Test
    void serverTimingHasOneEntryPerSource() {
        Response response = given().get("/api/aggregate?source=fast&source=failing");
        response.then().statusCode(200);
        String timing = response.header("Server-Timing");
        assertThat(timing).matches("fast;dur=\\d+;desc=\"ok\", failing;dur=\\d+;desc=\"error\"");
        long fastMs = response.jsonPath().getLong("sources[0].elapsedMs");
        assertThat(timing).startsWith("fast;dur=" + fastMs + ";");
    }

    @Test
    void onlyTheConfiguredFieldsAreKept() {
        JsonPath body = given().get("/api/aggregate?source=trimmed").then().statusCode(200).extract().jsonPath();
        Map<String, Object> upstream = body.getMap("sources[0].body");
        assertThat(upstream).containsOnlyKeys("delayMs", "path").containsEntry("delayMs", 10);
    }

    @Test
    void anOkAnswerIsReusedWithinItsTtl() {
        Upstreams.reset();
        Map<String, Object> first = only(given().get("/api/aggregate?source=cached").then().statusCode(200).extract().jsonPath());
        Map<String, Object> second = only(given().get("/api/aggregate?source=cached").then().statusCode(200).extract().jsonPath());
        // The first may itself come from the cache, filled by an earlier test; the second must.
        assertThat((String) first.get("outcome")).isIn("ok", "cached");
        assertThat(second).containsEntry("outcome", "cached").containsEntry("attempts", 0).containsEntry("status", 200);
        assertThat(second.get("body")).isEqualTo(first.get("body"));
        assertThat(Upstreams.stat("/delay/50/cached", "count")).isLessThanOrEqualTo(1);
    }

    @Test
    void concurrentCallsToOneSourceShareASingleUpstreamCall() throws Exception {
        Upstreams.gate("shared", false);
        Upstreams.reset();
        List<CompletableFuture<JsonPath>> calls = new ArrayList<>();
        calls.add(call("shared"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Upstreams.stat("/gate/shared", "inFlight") == 1);
        for (int i = 0; i < 4; i++) {
            calls.add(call("shared"));
        }
        // All five requests hold their permit: each is calling the source or waiting for the call in flight.
        await().atMost(Duration.ofSeconds(10)).until(() -> limiter.inUse() == 5);
        Upstreams.gate("shared", true);
        List<String> outcomes = new ArrayList<>();
        for (CompletableFuture<JsonPath> call : calls) {
            outcomes.add(call.get(15, TimeUnit.SECONDS).getString("sources[0].outcome"));
        }
        assertThat(outcomes).containsExactlyInAnyOrder("ok", "cached", "cached", "cached", "cached");
        assertThat(Upstreams.stat("/gate/shared", "count")).isEqualTo(1);
        // Its TTL is 1 ms: once the shared call is over, the next request calls the upstream again.
        await().atMost(Duration.ofSeconds(5)).until(() -> "ok".equals(call("shared").get(10, TimeUnit.SECONDS)
                .getString("sources[0].outcome")));
        assertThat(Upstreams.stat("/gate/shared", "count")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aSlowFirstCallIsHedgedAndTheLoserCancelled() {
        Upstreams.reset();
        // The stub leaves every other request unanswered: the first hangs, the hedge sent after 100 ms answers.
        Map<String, Object> hedged = only(given().get("/api/aggregate?source=hedged").then().statusCode(200)
                .extract().jsonPath());
        assertThat(hedged).containsEntry("outcome", "ok").containsEntry("attempts", 2);
        assertThat(((Number) hedged.get("elapsedMs")).longValue()).isGreaterThanOrEqualTo(100).isLessThan(5_000);
        assertThat(Upstreams.stat("/alternate/hedged", "count")).isEqualTo(2);
        // The hanging first request was cancelled: its connection is closed, not left to the 5 s timeout.
        await().atMost(Duration.ofSeconds(3)).until(() -> Upstreams.stat("/alternate/hedged", "closedEarly") == 1);
    }

    private static CompletableFuture<JsonPath> call(String source) {
        return CompletableFuture.supplyAsync(() -> given().get("/api/aggregate?source=" + source)
                .then().statusCode(200).extract().jsonPath());
    }
}
