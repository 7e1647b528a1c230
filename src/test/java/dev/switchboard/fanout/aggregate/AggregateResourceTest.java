package dev.switchboard.fanout.aggregate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Management;
import dev.switchboard.support.Upstreams;
import dev.switchboard.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

@QuarkusTest
class AggregateResourceTest {

    @Inject
    SourceCatalog catalog;

    @Inject
    FanoutService fanout;

    private static Response aggregate(String query) {
        return given().get("/api/aggregate" + query);
    }

    private static Map<String, Object> outcome(JsonPath body, String name) {
        return body.getMap("sources.find { it.name == '" + name + "' }");
    }

    private static long number(Map<String, Object> outcome, String field) {
        return ((Number) outcome.get(field)).longValue();
    }

    @Test
    void callsTheChosenSourcesAllAtOnceAndTakesAboutTheSlowest() {
        // Warm up first: this is about how calls overlap, not about class loading on a cold JVM.
        aggregate("?source=fast&source=medium").then().statusCode(200);
        Upstreams.reset();
        JsonPath body = aggregate("?source=fast&source=medium&source=slow&source=slow-b&source=slow-c")
                .then().statusCode(200)
                .contentType("application/json")
                .header("X-Fanout-Complete", "true")
                .extract().jsonPath();

        assertThat(body.getBoolean("complete")).isTrue();
        assertThat(body.getList("sources.name")).containsExactly("fast", "medium", "slow", "slow-b", "slow-c");
        assertThat(body.getList("sources.outcome")).containsOnly("ok");
        assertThat(body.getList("sources.body.delayMs", Integer.class)).containsExactly(50, 150, 300, 300, 300);

        // Every upstream received its request before any of them answered: all five were in flight together.
        List<Long> arrived = body.getList("sources.body.arrivedAtNanos", Long.class);
        List<Long> answered = body.getList("sources.body.answeredAtNanos", Long.class);
        assertThat(arrived.stream().mapToLong(Long::longValue).max().getAsLong())
                .isLessThan(answered.stream().mapToLong(Long::longValue).min().getAsLong());
        assertThat(Upstreams.stats().getInt("peak")).isGreaterThanOrEqualTo(5);

        // Each call started before any had finished, not after the previous one.
        List<Map<String, Object>> sources = body.getList("sources");
        long lastStart = sources.stream().mapToLong(s -> number(s, "startedAtMs")).max().getAsLong();
        long firstEnd = sources.stream().mapToLong(s -> number(s, "startedAtMs") + number(s, "elapsedMs")).min().getAsLong();
        assertThat(lastStart).isLessThan(firstEnd);
        // The overlap above is the proof; the clock only has to stay under the sum (1,100 ms, what calls one
        // after the other would take), which leaves the slowest (300 ms) a generous margin on a loaded machine.
        long total = body.getLong("elapsedMs");
        assertThat(total).isGreaterThanOrEqualTo(300).isLessThan(1_100);
        Map<String, Object> slow = outcome(body, "slow");
        assertThat(number(slow, "elapsedMs")).isGreaterThanOrEqualTo(300).isLessThanOrEqualTo(total);
        assertThat(slow).containsEntry("status", 200).containsEntry("attempts", 1);
    }

    @Test
    void partialResultsCarryEachSourcesOutcome() {
        Upstreams.reset();
        JsonPath body = aggregate("?source=fast&source=failing&source=missing&source=hanging&source=refused&source=not-json")
                .then().statusCode(200)
                .header("X-Fanout-Complete", "false")
                .extract().jsonPath();

        assertThat(body.getBoolean("complete")).isFalse();
        assertThat(body.getList("sources.name")).containsExactly("fast", "failing", "missing", "hanging", "refused", "not-json");
        assertThat(outcome(body, "fast")).containsEntry("outcome", "ok").containsKey("body");

        Map<String, Object> failing = outcome(body, "failing");
        assertThat(failing).containsEntry("outcome", "error").containsEntry("status", 500).containsEntry("attempts", 1)
                .doesNotContainKey("body");
        assertThat((String) failing.get("reason")).contains("500");

        // A 4xx is the upstream's final word: no retry even though two are allowed.
        assertThat(outcome(body, "missing")).containsEntry("outcome", "error").containsEntry("status", 404)
                .containsEntry("attempts", 1);
        assertThat(Upstreams.stat("/status/404", "count")).isEqualTo(1);

        Map<String, Object> refused = outcome(body, "refused");
        assertThat(refused).containsEntry("outcome", "error").containsEntry("attempts", 2).doesNotContainKey("status");
        assertThat((String) refused.get("reason")).containsIgnoringCase("connection");

        Map<String, Object> notJson = outcome(body, "not-json");
        assertThat(notJson).containsEntry("outcome", "error").containsEntry("status", 200);
        assertThat((String) notJson.get("reason")).contains("not JSON");

        Map<String, Object> hanging = outcome(body, "hanging");
        assertThat(hanging).containsEntry("outcome", "timeout");
        assertThat(number(hanging, "elapsedMs")).isGreaterThanOrEqualTo(390).isLessThan(2_000);
        assertThat(body.getLong("elapsedMs")).isLessThan(2_000);
    }

    @Test
    void aHangingUpstreamIsCutAtItsDeadlineAndItsConnectionClosed() {
        Upstreams.reset();
        JsonPath body = aggregate("?source=hanging&source=fast").then().statusCode(200).extract().jsonPath();
        assertThat(outcome(body, "hanging")).containsEntry("outcome", "timeout");
        assertThat((String) outcome(body, "hanging").get("reason")).contains("400 ms");
        // The service does not leave the silent connection open behind it.
        await().atMost(Duration.ofSeconds(5)).until(() -> Upstreams.stat("/hang", "closedEarly") == 1);
    }

    @Test
    void noSourceOkIsABadGatewayWithEveryOutcome() {
        aggregate("?source=failing&source=refused&source=hanging")
                .then().statusCode(502)
                .contentType("application/problem+json")
                .header("X-Fanout-Complete", "false")
                .body("status", equalTo(502),
                        "title", equalTo("Bad Gateway"),
                        "complete", equalTo(false),
                        "sources.name", org.hamcrest.Matchers.contains("failing", "refused", "hanging"),
                        "sources.outcome", org.hamcrest.Matchers.contains("error", "error", "timeout"));
    }

    @Test
    void theRequestDeadlineCapsEverySource() {
        Upstreams.reset();
        JsonPath body = aggregate("?source=slow&source=fast&deadlineMs=150").then().statusCode(200)
                .header("X-Fanout-Complete", "false").extract().jsonPath();
        assertThat(outcome(body, "fast")).containsEntry("outcome", "ok");
        Map<String, Object> slow = outcome(body, "slow");
        assertThat(slow).containsEntry("outcome", "timeout");
        // The slow upstream (300 ms) saw its connection dropped before it could answer: the 150 ms
        // deadline, not the source's own 2 s timeout, ended the call.
        await().atMost(Duration.ofSeconds(5)).until(() -> Upstreams.stat("/delay/300", "closedEarly") == 1);
        assertThat(number(slow, "elapsedMs")).isLessThan(2_000);
        assertThat(body.getLong("elapsedMs")).isLessThan(2_000);
    }

    @Test
    void serverErrorsAreRetriedWithinTheDeadline() {
        Upstreams.reset();
        JsonPath body = aggregate("?source=flaky").then().statusCode(200).extract().jsonPath();
        // The stub fails twice, then answers: two retries are configured, so the third attempt is ok.
        assertThat(outcome(body, "flaky")).containsEntry("outcome", "ok").containsEntry("attempts", 3);
        assertThat(Upstreams.stat("/flaky/a/2", "count")).isEqualTo(3);
    }

    @Test
    void oversizedBodiesAreAnErrorOutcomeAndAreNotReadToTheEnd() {
        Upstreams.reset();
        JsonPath body = aggregate("?source=oversized&source=endless&source=fast").then().statusCode(200)
                .header("X-Fanout-Complete", "false").extract().jsonPath();
        for (String name : List.of("oversized", "endless")) {
            Map<String, Object> big = outcome(body, name);
            assertThat(big).containsEntry("outcome", "error").doesNotContainKey("status");
            assertThat((String) big.get("reason")).contains("larger than 1048576 bytes");
        }
        assertThat(outcome(body, "fast")).containsEntry("outcome", "ok");
        // The endless body was cut at the cap, long before its 10 s timeout, and its connection dropped.
        assertThat(number(outcome(body, "endless"), "elapsedMs")).isLessThan(5_000);
        // Both connections were dropped (the 2 MiB one as soon as its Content-Length was seen), and the
        // endless upstream stopped sending: the rest of its body is not drained into nowhere.
        await().atMost(Duration.ofSeconds(5)).until(() -> Upstreams.stat("/endless", "closedEarly") == 1
                && Upstreams.stat("/big/2097152", "closedEarly") == 1);
        // The declared 2 MiB was refused up front, well before the cap's worth of it was even sent.
        assertThat(Upstreams.stat("/big/2097152", "bytesSent")).isLessThan(1024 * 1024);
        long sent = Upstreams.stat("/endless", "bytesSent");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> Upstreams.stat("/endless", "bytesSent") == sent);
        assertThat(sent).isLessThan(16L * 1024 * 1024);
    }

    @Test
    void withNoSourceNamedEveryConfiguredSourceIsCalled() {
        JsonPath body = aggregate("?deadlineMs=1500").then().statusCode(200).extract().jsonPath();
        assertThat(body.getList("sources.name", String.class)).containsExactlyElementsOf(catalog.names());
        assertThat(catalog.names()).contains("fast", "hanging", "self");
        assertThat(body.getList("sources.outcome", String.class)).contains("ok", "error", "timeout");
        assertThat(body.getLong("elapsedMs")).isLessThan(3_000);
    }

    @Test
    void aPathSourceCallsThisServiceOnThePortItReallyListensOn() {
        JsonPath body = aggregate("?source=self").then().statusCode(200).header("X-Fanout-Complete", "true")
                .extract().jsonPath();
        assertThat(outcome(body, "self")).containsEntry("outcome", "ok").containsEntry("status", 200);
        assertThat(body.getList("sources[0].body.items")).isNotNull();
    }

    @Test
    void theDefaultSourcesAreThisServicesOwnListsCalledOverHttp() {
        // The tests configure stub sources, so the defaults are handed over directly: same code path,
        // real HTTP to this service on its random port, with an admin's token (users and orders need one).
        Aggregate result = fanout.aggregate(List.copyOf(SourceCatalog.defaults().values()), null, "Bearer " + Tokens.admin())
                .await().atMost(Duration.ofSeconds(10));
        assertThat(result.sources()).extracting(SourceOutcome::name).containsExactly("users", "products", "orders");
        assertThat(result.complete()).isTrue();
        assertThat(result.sources()).allSatisfy(source -> {
            assertThat(source.status()).isEqualTo(200);
            assertThat(source.body().get("items").isArray()).isTrue();
        });
    }

    @Test
    void unknownSourcesAreRefusedByName() {
        aggregate("?source=fast&source=nope&source=zilch")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("'nope'"), "detail", containsString("'zilch'"),
                        "violations[0].field", equalTo("source"),
                        "unknownSources", org.hamcrest.Matchers.contains("nope", "zilch"));
    }

    @Test
    void theDeadlineParameterIsValidated() {
        aggregate("?source=fast&deadlineMs=0").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("deadlineMs"));
        aggregate("?source=fast&deadlineMs=30001").then().statusCode(400).body("violations[0].field", equalTo("deadlineMs"));
        aggregate("?source=fast&deadlineMs=soon").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("deadlineMs"));
    }

    @Test
    void callsAreMeasured() {
        aggregate("?source=fast&source=failing").then().statusCode(200);
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("switchboard_fanout_source_calls_seconds_count{source=\"fast\"")
                .containsPattern("switchboard_fanout_source_outcomes_total\\{outcome=\"ok\",source=\"fast\"} [1-9]")
                .containsPattern("switchboard_fanout_source_outcomes_total\\{outcome=\"error\",source=\"failing\"} [1-9]")
                .contains("switchboard_fanout_in_flight")
                .contains("switchboard_fanout_queued")
                .contains("switchboard_fanout_rejected_total")
                .contains("switchboard_fanout_streams_active");
    }
}
