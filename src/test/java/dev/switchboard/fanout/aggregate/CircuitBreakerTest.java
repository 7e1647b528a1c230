package dev.switchboard.fanout.aggregate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Management;
import dev.switchboard.support.Upstreams;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The circuit breaker of the {@code breaker} source (its stub always answers 503; four failures in a
 * row open the circuit for a minute): once open, the source is not called at all.
 */
@QuarkusTest
class CircuitBreakerTest {

    private static final String STUB = "/status/503/breaker";

    private static Map<String, Object> callBreaker() {
        // Nothing ok: a 502 problem carrying the one outcome.
        return given().get("/api/aggregate?source=breaker").then().statusCode(502)
                .extract().jsonPath().getMap("sources[0]");
    }

    @Test
    void aSourceThatKeepsFailingIsNotCalledWhileItsCircuitIsOpen() {
        Upstreams.reset();
        List<String> outcomes = new ArrayList<>();
        // Another test calling every source may already have counted some failures, so the circuit opens
        // within at most four calls from here, never more.
        for (int i = 0; i < 5 && !outcomes.contains("circuit-open"); i++) {
            outcomes.add((String) callBreaker().get("outcome"));
        }
        assertThat(outcomes).last().isEqualTo("circuit-open");
        assertThat(outcomes.subList(0, outcomes.size() - 1)).containsOnly("error").hasSizeLessThanOrEqualTo(4);
        long upstreamCalls = Upstreams.stat(STUB, "count");
        assertThat(upstreamCalls).isEqualTo(outcomes.size() - 1);

        for (int i = 0; i < 3; i++) {
            Map<String, Object> open = callBreaker();
            assertThat(open).containsEntry("outcome", "circuit-open").containsEntry("attempts", 0).doesNotContainKey("status");
            assertThat((String) open.get("reason")).contains("circuit open");
        }
        // While open, the upstream saw nothing more.
        assertThat(Upstreams.stat(STUB, "count")).isEqualTo(upstreamCalls);

        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern(
                "switchboard_fanout_source_outcomes_total\\{outcome=\"circuit-open\",source=\"breaker\"} [3-9]");
    }

    @Test
    void aFailingSourceUnderItsThresholdIsStillCalled() {
        // The default breaker needs 20 calls in its window before it may open: a few failures change nothing.
        Upstreams.reset();
        for (int i = 0; i < 3; i++) {
            given().get("/api/aggregate?source=failing").then().statusCode(502);
        }
        assertThat(Upstreams.stat("/status/500", "count")).isEqualTo(3);
    }
}
