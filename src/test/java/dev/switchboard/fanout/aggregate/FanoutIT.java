package dev.switchboard.fanout.aggregate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.SseClient;
import dev.switchboard.support.SseClient.Event;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;

/**
 * Fan-out on the packaged artifact (jar, or native executable with -Dnative), over HTTP and SSE,
 * against the same upstream stubs as the in-process tests (whose checks need injected beans).
 */
@QuarkusIntegrationTest
class FanoutIT {

    @TestHTTPResource("/")
    URL root;

    @Test
    void aggregatesSourcesCalledTogether() {
        JsonPath body = given().get("/api/aggregate?source=fast&source=medium&source=slow&source=slow-b&source=slow-c")
                .then().statusCode(200).header("X-Fanout-Complete", "true").extract().jsonPath();
        assertThat(body.getList("sources.name")).containsExactly("fast", "medium", "slow", "slow-b", "slow-c");
        assertThat(body.getList("sources.outcome")).containsOnly("ok");
        // Every upstream received its request before any of them answered: all five were in flight together.
        List<Long> arrived = body.getList("sources.body.arrivedAtNanos", Long.class);
        List<Long> answered = body.getList("sources.body.answeredAtNanos", Long.class);
        assertThat(arrived.stream().mapToLong(Long::longValue).max().getAsLong())
                .isLessThan(answered.stream().mapToLong(Long::longValue).min().getAsLong());
        // The overlap is the proof; the clock only has to stay under the sum (1,100 ms, calls one after the
        // other), a generous margin over the slowest (300 ms).
        assertThat(body.getLong("elapsedMs")).isGreaterThanOrEqualTo(300).isLessThan(1_100);
    }

    @Test
    void partialResultsCarryEachSourcesOutcome() {
        JsonPath body = given().get("/api/aggregate?source=fast&source=failing")
                .then().statusCode(200).header("X-Fanout-Complete", "false").extract().jsonPath();
        assertThat(body.getList("sources.outcome")).containsExactly("ok", "error");
        assertThat(body.getInt("sources[1].status")).isEqualTo(500);
    }

    @Test
    void aCountdownStreamsServerSentEvents() {
        try (SseClient client = SseClient.open(root.getPort(), "/api/countdown?name=Launch&from=3&periodMs=50",
                "text/event-stream")) {
            assertThat(client.status()).isEqualTo(200);
            List<Event> events = client.readAll(Duration.ofSeconds(10));
            assertThat(events.stream().map(Event::name)).containsExactly("message", "message", "message", "done");
            assertThat(events.subList(0, 3).stream().map(e -> e.json().get("n").asInt())).containsExactly(3, 2, 1);
        }
    }
}
