package dev.switchboard.fanout.stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.support.Management;
import dev.switchboard.support.SseClient;
import dev.switchboard.support.SseClient.Event;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class StreamResourceTest {

    private static final String SSE = "text/event-stream";

    @TestHTTPResource("/")
    URL root;

    @Inject
    MeterRegistry registry;

    private SseClient open(String pathAndQuery) {
        return SseClient.open(root.getPort(), pathAndQuery, SSE);
    }

    private List<Event> stream(String pathAndQuery) {
        try (SseClient client = open(pathAndQuery)) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.header("Content-Type")).startsWith(SSE);
            return client.readAll(Duration.ofSeconds(10));
        }
    }

    private double activeStreams() {
        return registry.get("switchboard.fanout.streams.active").gauge().value();
    }

    private double ticks() {
        return registry.get("switchboard.fanout.countdown.ticks").counter().count();
    }

    @Test
    void aCountdownTicksDownThenSaysDone() {
        List<Event> events = stream("/api/countdown?name=Launch&from=3&periodMs=50");

        assertThat(events).hasSize(4);
        assertThat(events.subList(0, 3)).allSatisfy(e -> {
            assertThat(e.name()).isEqualTo("message");
            assertThat(e.json().get("name").asText()).isEqualTo("Launch");
        });
        assertThat(events.subList(0, 3).stream().map(e -> e.json().get("n").asInt())).containsExactly(3, 2, 1);
        Event done = events.get(3);
        assertThat(done.name()).isEqualTo("done");
        assertThat(done.json().get("names").get(0).asText()).isEqualTo("Launch");
        // One period apart: three periods from the first tick to done, as the server measured them (the
        // client may receive several events at once).
        assertThat(done.json().get("elapsedMs").asLong()).isGreaterThanOrEqualTo(140);
    }

    @Test
    void severalCountdownsAreMergedAsTheyTick() {
        List<Event> events = stream("/api/countdowns?c=Countdown%201:4&c=Countdown%202:2&periodMs=100");

        List<Event> ticks = events.subList(0, events.size() - 1);
        assertThat(events.get(events.size() - 1).name()).isEqualTo("done");
        assertThat(ticks).hasSize(6).allSatisfy(e -> assertThat(e.name()).isEqualTo("message"));
        List<String> names = ticks.stream().map(e -> e.json().get("name").asText()).toList();
        assertThat(ticksOf(ticks, "Countdown 1")).containsExactly(4, 3, 2, 1);
        assertThat(ticksOf(ticks, "Countdown 2")).containsExactly(2, 1);
        // Interleaved, not one after the other: both start at once, and the shorter one is over
        // before the longer one reaches its last tick.
        assertThat(names.subList(0, 2)).containsExactlyInAnyOrder("Countdown 1", "Countdown 2");
        assertThat(names.lastIndexOf("Countdown 2")).isLessThan(names.lastIndexOf("Countdown 1"));
        assertThat(names.get(names.size() - 1)).isEqualTo("Countdown 1");
        assertThat(events.get(events.size() - 1).json().get("names").size()).isEqualTo(2);
    }

    private static List<Integer> ticksOf(List<Event> events, String name) {
        return events.stream().map(Event::json).filter(j -> j.get("name").asText().equals(name))
                .map(j -> j.get("n").asInt()).toList();
    }

    @Test
    void greetingsAsJsonTakeAboutOneDelayForAllNames() {
        JsonPath body = given().accept("application/json")
                .get("/api/greet?name=Alice&name=Bob&name=Charlie&delayMs=300")
                .then().statusCode(200).contentType("application/json").extract().jsonPath();

        assertThat(body.getList("greetings.name")).containsExactly("Alice", "Bob", "Charlie");
        assertThat(body.getList("greetings.hello")).containsExactly("Hello, Alice!", "Hello, Bob!", "Hello, Charlie!");
        assertThat(body.getList("greetings.goodbye")).containsExactly("Goodbye, Alice!", "Goodbye, Bob!", "Goodbye, Charlie!");
        List<Long> hellos = body.getList("greetings.helloAtMs", Long.class);
        List<Long> goodbyes = body.getList("greetings.goodbyeAtMs", Long.class);
        // Every hello came before any goodbye: the three waits overlapped.
        assertThat(hellos.stream().mapToLong(Long::longValue).max().getAsLong())
                .isLessThan(goodbyes.stream().mapToLong(Long::longValue).min().getAsLong());
        assertThat(goodbyes).allSatisfy(at -> assertThat(at).isGreaterThanOrEqualTo(295));
        // The overlap above is the proof; the clock only has to stay under one delay per name (900 ms, what
        // waits one after the other would take), a generous margin over one delay (300 ms).
        assertThat(body.getLong("elapsedMs")).isGreaterThanOrEqualTo(295).isLessThan(900);
    }

    @Test
    void greetingsWithoutAnAcceptHeaderPreferenceAreJson() {
        given().get("/api/greet?name=Ann&delayMs=0").then().statusCode(200).contentType("application/json")
                .body("greetings[0].hello", equalTo("Hello, Ann!"));
    }

    @Test
    void greetingsAsEventsSendEveryHelloThenEveryGoodbye() {
        List<Event> events = stream("/api/greet?name=Alice&name=Bob&name=Charlie&name=Dave&name=Eve&delayMs=200");

        assertThat(events).hasSize(11);
        List<JsonNode> data = events.subList(0, 10).stream().map(Event::json).toList();
        assertThat(data.stream().map(d -> d.get("kind").asText()))
                .containsExactly("hello", "hello", "hello", "hello", "hello", "goodbye", "goodbye", "goodbye", "goodbye", "goodbye");
        assertThat(data.subList(0, 5).stream().map(d -> d.get("message").asText()))
                .containsExactly("Hello, Alice!", "Hello, Bob!", "Hello, Charlie!", "Hello, Dave!", "Hello, Eve!");
        assertThat(data.subList(5, 10).stream().map(d -> d.get("name").asText()))
                .containsExactlyInAnyOrder("Alice", "Bob", "Charlie", "Dave", "Eve");
        assertThat(events.get(10).name()).isEqualTo("done");
        // The goodbyes came together after one delay, not one delay each: waits one after the other would
        // space them a delay apart (800 ms from first to last) and end after the sum (1,000 ms).
        List<Long> goodbyeAt = data.subList(5, 10).stream().map(d -> d.get("atMs").asLong()).toList();
        assertThat(goodbyeAt).allSatisfy(at -> assertThat(at).isGreaterThanOrEqualTo(195));
        assertThat(goodbyeAt.stream().mapToLong(Long::longValue).max().getAsLong()
                - goodbyeAt.stream().mapToLong(Long::longValue).min().getAsLong()).isLessThan(400);
        long doneAt = events.get(10).json().get("elapsedMs").asLong();
        assertThat(doneAt).isGreaterThanOrEqualTo(195).isLessThan(1_000);
    }

    @Test
    void badParametersAreProblemsNamingTheParameter() {
        given().get("/api/countdown?from=0").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("from"));
        given().get("/api/countdown?from=3601").then().statusCode(400).body("violations[0].field", equalTo("from"));
        given().get("/api/countdown?periodMs=9").then().statusCode(400).body("violations[0].field", equalTo("periodMs"));
        given().get("/api/countdown?name=" + "x".repeat(65)).then().statusCode(400)
                .body("violations[0].field", equalTo("name"));
        given().get("/api/countdown?from=soon").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("from"));
        given().get("/api/countdowns").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("c"));
        given().get("/api/countdowns?c=NoNumber").then().statusCode(400).body("violations[0].field", equalTo("c"),
                "detail", containsString("NoNumber"));
        given().get("/api/countdowns?c=Late:0").then().statusCode(400).body("violations[0].field", equalTo("c"));
        given().get("/api/greet").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("name"));
        given().queryParam("name", " ").get("/api/greet").then().statusCode(400).body("violations[0].field", equalTo("name"));
        given().get("/api/greet?name=Ann&delayMs=-1").then().statusCode(400).body("violations[0].field", equalTo("delayMs"));
        String tooMany = String.join("&", IntStream.rangeClosed(1, 51).mapToObj(i -> "name=n" + i).toList());
        given().get("/api/greet?" + tooMany).then().statusCode(400).body("violations[0].field", equalTo("name"));
    }

    @Test
    void badParametersOnAStreamAreAProblemNotAStream() {
        try (SseClient client = open("/api/countdown?from=0")) {
            assertThat(client.status()).isEqualTo(400);
            assertThat(client.header("Content-Type")).startsWith("application/problem+json");
            assertThat(client.body()).contains("\"field\":\"from\"");
        }
        try (SseClient client = open("/api/greet?name=" + "y".repeat(65))) {
            assertThat(client.status()).isEqualTo(400);
            assertThat(client.body()).contains("\"field\":\"name\"");
        }
    }

    @Test
    void aClientThatGoesAwayStopsItsTimers() {
        await().atMost(Duration.ofSeconds(5)).until(() -> activeStreams() == 0);
        try (SseClient countdown = open("/api/countdown?name=Forever&from=3600&periodMs=20");
                SseClient merged = open("/api/countdowns?c=A:3600&c=B:3600&periodMs=20")) {
            assertThat(countdown.next(Duration.ofSeconds(5)).json().get("n").asInt()).isEqualTo(3600);
            countdown.next(Duration.ofSeconds(5));
            merged.next(Duration.ofSeconds(5));
            merged.next(Duration.ofSeconds(5));
            merged.next(Duration.ofSeconds(5));
            assertThat(activeStreams()).isEqualTo(2);
        }
        // Both sockets are closed: the server notices, cancels the streams and their timers.
        await().atMost(Duration.ofSeconds(5)).until(() -> activeStreams() == 0);
        double ticksAfter = ticks();
        // At 20 ms a period, three running timers would fire about 45 times in 300 ms: none does.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> ticks() == ticksAfter);

        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("switchboard_fanout_streams_active 0.0")
                .contains("switchboard_fanout_stream_events_total{stream=\"countdown\"}");
    }
}
