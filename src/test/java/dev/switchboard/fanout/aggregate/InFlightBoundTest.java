package dev.switchboard.fanout.aggregate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.Upstreams;
import dev.switchboard.support.UpstreamStubsTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The in-flight bound across requests, made visible with a gate: an upstream that answers only when the
 * test opens it, so permits can be held for as long as the test needs.
 */
@QuarkusTest
class InFlightBoundTest {

    private static final int BOUND = UpstreamStubsTestResource.MAX_IN_FLIGHT;
    private static final int QUEUE = UpstreamStubsTestResource.MAX_QUEUED;

    @TestHTTPResource("/api/aggregate?source=gated")
    URL gated;

    @Inject
    InFlightLimiter limiter;

    @Inject
    MeterRegistry registry;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void openTheGate() {
        Upstreams.gate("main", true);
        await().atMost(Duration.ofSeconds(15)).until(() -> limiter.inUse() == 0 && limiter.queued() == 0);
    }

    private CompletableFuture<HttpResponse<String>> callGated() throws Exception {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(gated.toString())).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private List<CompletableFuture<HttpResponse<String>>> holdEveryPermit() throws Exception {
        Upstreams.gate("main", false);
        Upstreams.reset();
        List<CompletableFuture<HttpResponse<String>>> holders = new ArrayList<>();
        for (int i = 0; i < BOUND; i++) {
            holders.add(callGated());
        }
        // Every permit is taken once the upstream sees all those calls waiting at its gate.
        await().atMost(Duration.ofSeconds(10)).until(() -> Upstreams.stat("/gate/main", "inFlight") == BOUND);
        assertThat(limiter.inUse()).isEqualTo(BOUND);
        return holders;
    }

    private double rejected(String reason) {
        var counter = registry.find("switchboard.fanout.rejected").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void requestsBeyondTheBoundWaitThenRunAndBeyondTheQueueAreRefused() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> holders = holdEveryPermit();

        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < QUEUE; i++) {
            waiting.add(callGated());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.queued() == QUEUE);
        // Queued requests make no upstream call while they wait.
        assertThat(Upstreams.stat("/gate/main", "count")).isEqualTo(BOUND);

        double refusedBefore = rejected("queue-full");
        given().get("/api/aggregate?source=fast")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "1")
                .body("status", equalTo(503), "detail", containsString("queue is full"), "maxInFlight", equalTo(BOUND));
        assertThat(rejected("queue-full")).isEqualTo(refusedBefore + 1);

        Upstreams.gate("main", true);
        for (CompletableFuture<HttpResponse<String>> call : concat(holders, waiting)) {
            HttpResponse<String> response = call.get(15, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Fanout-Complete")).hasValue("true");
        }
        // Every request was served, and the upstream never saw more calls at once than the bound.
        assertThat(Upstreams.stat("/gate/main", "count")).isEqualTo(BOUND + QUEUE);
        assertThat(Upstreams.stat("/gate/main", "peak")).isEqualTo(BOUND);
    }

    @Test
    void aRequestThatWaitsTooLongIsRefusedWhileTheOthersStillRun() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> holders = holdEveryPermit();
        double timedOutBefore = rejected("wait-timeout");

        long started = System.nanoTime();
        given().get("/api/aggregate?source=fast")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "1")
                .body("detail", containsString("no upstream call slot became free"));
        // It waited for the queue timeout (2 s in the tests), not for the holders.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1_500));
        assertThat(holders).noneMatch(CompletableFuture::isDone);
        assertThat(rejected("wait-timeout")).isEqualTo(timedOutBefore + 1);

        Upstreams.gate("main", true);
        for (CompletableFuture<HttpResponse<String>> call : holders) {
            assertThat(call.get(15, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
