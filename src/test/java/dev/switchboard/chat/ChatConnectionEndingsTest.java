package dev.switchboard.chat;

import static dev.switchboard.support.ChatTestClient.connect;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.ChatTestClient;
import dev.switchboard.support.LogCapture;
import dev.switchboard.support.Management;
import dev.switchboard.support.RawWebSocket;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Clients that vanish without a close frame, as killed processes, phones in tunnels and load balancers
 * dropping idle connections do: they leave like any other, are counted under {@code reset}, and the
 * server logs nothing an operator would be paged for.
 */
@QuarkusTest
class ChatConnectionEndingsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL base;

    @Inject
    Pool pool;

    @Test
    void aClientWhoseConnectionIsResetLeavesTheRoomIsCountedAndLogsNoWarning() throws Exception {
        String room = room();
        try (LogCapture log = LogCapture.warningsAndErrors(); ChatTestClient watcher = connect(base.getPort(), room, "watcher")) {
            watcher.welcome();
            double resetsBefore = closed("reset");
            double closesBefore = closed("close");
            RawWebSocket ghost = RawWebSocket.connect(base.getPort(), "/chat/" + room + "?name=ghost", 65536);
            assertThat(new JsonObject(ghost.readText()).getString("type")).isEqualTo("welcome");
            assertThat(watcher.next("join").getString("name")).isEqualTo("ghost");
            awaitPresent(room, 2);

            ghost.reset();

            assertThat(watcher.next("leave").getString("name")).isEqualTo("ghost");
            awaitPresent(room, 1);
            Awaitility.await().atMost(WAIT).until(() -> closed("reset") == resetsBefore + 1);
            assertThat(closed("close")).as("ended with a close handshake").isEqualTo(closesBefore);
            assertThat(log.lines()).as("logged at WARN or above").isEmpty();
        }
    }

    @Test
    void fiftyClientsResetAtOnceAllLeaveAndAreCountedWithoutAWarning() throws Exception {
        String room = room();
        int count = 50;
        try (LogCapture log = LogCapture.warningsAndErrors(); ChatTestClient watcher = connect(base.getPort(), room, "watcher")) {
            watcher.welcome();
            double resetsBefore = closed("reset");
            List<RawWebSocket> ghosts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                RawWebSocket ghost = RawWebSocket.connect(base.getPort(), "/chat/" + room + "?name=ghost" + i, 65536);
                assertThat(new JsonObject(ghost.readText()).getString("type")).isEqualTo("welcome");
                ghosts.add(ghost);
            }
            awaitPresent(room, count + 1);

            for (RawWebSocket ghost : ghosts) {
                ghost.reset();
            }

            awaitPresent(room, 1);
            Awaitility.await().atMost(WAIT).until(() -> closed("reset") >= resetsBefore + count);
            assertThat(closed("reset")).isEqualTo(resetsBefore + count);
            Awaitility.await().atMost(WAIT).until(() -> names(watcher.frames("leave")).size() == count);
            assertThat(names(watcher.frames("leave"))).allMatch(name -> name.startsWith("ghost"));
            assertThat(log.lines()).as("logged at WARN or above").isEmpty();
        }
    }

    @Test
    void aMessageOverTheFrameworksSizeLimitIsTheClientsFaultNotAnError() {
        String room = room();
        try (LogCapture log = LogCapture.warningsAndErrors();
                ChatTestClient huge = connect(base.getPort(), room, "huge");
                ChatTestClient watcher = connect(base.getPort(), room, "watcher")) {
            huge.welcome();
            watcher.welcome();
            huge.sendRaw("z".repeat(70_000));
            assertThat(huge.awaitClose()).isIn(1006, 1009);
            assertThat(watcher.next("leave").getString("name")).isEqualTo("huge");
            assertThat(log.lines()).as("logged at WARN or above").isEmpty();
        }
    }

    @Test
    void everyWayOfEndingIsPublishedFromTheStart() {
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String how : List.of("close", "reset", "timeout", "expired", "slow-consumer", "shutdown")) {
            assertThat(metrics).contains("switchboard_chat_connections_closed_total{how=\"" + how + "\"}");
        }
    }

    private void awaitPresent(String room, int expected) {
        Awaitility.await().atMost(WAIT).until(() -> pool.preparedQuery("SELECT count(*) FROM chat_presence WHERE room = $1")
                .execute(Tuple.of(room)).await().indefinitely().iterator().next().getLong(0) == expected);
    }

    private static Set<String> names(List<JsonObject> frames) {
        return frames.stream().map(frame -> frame.getString("name")).collect(Collectors.toSet());
    }

    private static String room() {
        return "ends-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** {@code switchboard.chat.connections.closed{how}} as the management port publishes it. */
    static double closed(String how) {
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^switchboard_chat_connections_closed_total\\{how=\"" + Pattern.quote(how)
                + "\"\\} ([0-9.eE+-]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
