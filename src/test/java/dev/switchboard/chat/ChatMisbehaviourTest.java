package dev.switchboard.chat;

import static dev.switchboard.support.ChatTestClient.connect;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.Management;
import dev.switchboard.support.ChatTestClient;
import dev.switchboard.support.RawWebSocket;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Clients that do not play along, and a backplane that loses its connection. */
@QuarkusTest
class ChatMisbehaviourTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    MessageRepository repository;

    @Inject
    Pool pool;

    @Inject
    ChatBackplane backplane;

    static String room() {
        return "room-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aClientThatStopsReadingIsClosedWith1013WhileTheOthersGetEverything() throws Exception {
        String room = room();
        int port = base.getPort();
        try (ChatTestClient watcher = connect(port, room, "watcher");
                RawWebSocket slow = RawWebSocket.connect(port, "/chat/" + room + "?name=slow", 4096)) {
            watcher.welcome();
            // The slow client says it is alive (unsolicited pongs) but never reads a byte.
            Thread heartbeat = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        slow.sendPong();
                        Thread.sleep(300);
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            heartbeat.setDaemon(true);
            heartbeat.start();
            double closesBefore = slowConsumerCloses();
            List<ChatTestClient> senders = new ArrayList<>();
            for (int s = 0; s < 20; s++) {
                ChatTestClient sender = connect(port, room, "sender" + s);
                sender.welcome();
                senders.add(sender);
            }
            String text = "x".repeat(1900);
            List<Long> acked = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (slowConsumerCloses() == closesBefore && System.nanoTime() < deadline) {
                // Each sender sends its burst allowance, then waits for its answers.
                for (ChatTestClient sender : senders) {
                    for (int i = 0; i < 10; i++) {
                        sender.say(text);
                    }
                }
                for (ChatTestClient sender : senders) {
                    for (int i = 0; i < 10; i++) {
                        JsonObject answer = sender.next(f -> "ack".equals(f.getString("type"))
                                || "error".equals(f.getString("type")), "ack or error");
                        if ("ack".equals(answer.getString("type"))) {
                            acked.add(answer.getLong("id"));
                        }
                    }
                }
                Thread.sleep(500);
            }
            assertThat(slowConsumerCloses()).as("slow consumer closes").isGreaterThan(closesBefore);
            heartbeat.interrupt();

            // The watcher kept receiving: every accepted message, once, in order.
            long last = acked.stream().mapToLong(Long::longValue).max().orElseThrow();
            watcher.next(f -> "message".equals(f.getString("type")) && f.getLong("id") == last, "last message");
            assertThat(watcher.messageIds()).isEqualTo(acked.stream().sorted().toList());
            assertThat(watcher.isClosed()).isFalse();

            // What the slow client finally reads ends with the close frame saying why.
            RawWebSocket.Frame close = slow.readUntilClose();
            assertThat(close.closeCode()).isEqualTo(1013);
            assertThat(close.closeReason()).contains("slow consumer");
            senders.forEach(ChatTestClient::close);
        }
    }

    @Test
    void aClientThatNeverAnswersPingsIsDropped() throws Exception {
        String room = room();
        try (RawWebSocket silent = RawWebSocket.connect(base.getPort(), "/chat/" + room + "?name=silent", 65536)) {
            long start = System.nanoTime();
            boolean pinged = false;
            RawWebSocket.Frame frame;
            while ((frame = silent.read()).opcode() != RawWebSocket.Frame.CLOSE) {
                pinged |= frame.opcode() == RawWebSocket.Frame.PING;
            }
            // The test profile pings every 2 s and gives up after two silent intervals.
            assertThat(pinged).isTrue();
            assertThat(frame.closeCode()).isEqualTo(1001);
            assertThat(frame.closeReason()).contains("ping");
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isBetween(3L, 20L);
        }
    }

    @Test
    void messagesStoredWhileTheListenerWasDownAreReplayedOnceItIsBack() {
        String room = room();
        try (ChatTestClient alice = connect(base.getPort(), room, "alice");
                ChatTestClient bob = connect(base.getPort(), room, "bob")) {
            alice.welcome();
            bob.welcome();
            alice.say("before");
            long first = alice.next("ack").getLong("id");
            bob.next("message");

            // Kill the listener's connection, and while it is down store another replica's message whose
            // notification never arrives (sent on a channel nobody hears): only the replay can deliver it.
            long generation = backplane.subscriptions();
            killListener();
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> !backplane.isListening() || backplane.subscriptions() != generation);
            long lost = repository.append(room, new String[] { "remote" }, new String[] { "chat:remote" }, new String[] { "while deaf" },
                    new String[] { null }, "nobody_listens").await().indefinitely().get(0).id();
            if (backplane.subscriptions() != generation) {
                // It was back before the insert committed (its replay may have run first): kill it once more
                // so that the next subscription replays the stored message for sure.
                killListener();
            }
            assertThat(lost).isEqualTo(first + 1);

            for (ChatTestClient client : List.of(alice, bob)) {
                JsonObject replayed = client.next(f -> "message".equals(f.getString("type")) && f.getLong("id") == first + 1,
                        "replayed message");
                assertThat(replayed.getString("from")).isEqualTo("remote");
                assertThat(replayed.getString("text")).isEqualTo("while deaf");
            }
            // Live traffic continues, and nothing came twice.
            bob.say("after");
            long after = bob.next("ack").getLong("id");
            assertThat(after).isEqualTo(first + 2);
            alice.next(f -> "message".equals(f.getString("type")) && f.getLong("id") == after, "live message");
            assertThat(alice.messageIds()).containsExactly(first + 1, after);
            assertThat(bob.messageIds()).containsExactly(first, first + 1);
        }
    }

    @Test
    void presenceMissedWhileTheListenerWasDownIsSentOnceItIsBack() {
        String room = room();
        String ghostReplica = "ghost-" + UUID.randomUUID().toString().substring(0, 8);
        try (ChatTestClient alice = connect(base.getPort(), room, "alice")) {
            alice.welcome();
            // Another replica's client joins, but its notification is lost (the row is written without one).
            pool.preparedQuery("INSERT INTO chat_replicas (id) VALUES ($1)").execute(Tuple.of(ghostReplica))
                    .await().indefinitely();
            pool.preparedQuery("INSERT INTO chat_presence (replica, connection, room, name) VALUES ($1, 'c1', $2, 'ghost')")
                    .execute(Tuple.of(ghostReplica, room)).await().indefinitely();
            killListener();
            JsonObject joined = alice.next(f -> "join".equals(f.getString("type")), "missed join");
            assertThat(joined.getString("name")).isEqualTo("ghost");
            assertThat(joined.getString("room")).isEqualTo(room);

            // It leaves, again without a notification.
            pool.preparedQuery("DELETE FROM chat_presence WHERE replica = $1").execute(Tuple.of(ghostReplica))
                    .await().indefinitely();
            killListener();
            JsonObject left = alice.next(f -> "leave".equals(f.getString("type")), "missed leave");
            assertThat(left.getString("name")).isEqualTo("ghost");
            // Each change was told once, and nothing about alice herself.
            assertThat(alice.frames("join")).hasSize(1);
            assertThat(alice.frames("leave")).hasSize(1);
        } finally {
            pool.preparedQuery("DELETE FROM chat_replicas WHERE id = $1").execute(Tuple.of(ghostReplica))
                    .await().indefinitely();
        }
    }

    @Test
    void theReadinessCheckReportsTheBackplaneListening() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(backplane::isListening);
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'chat-backplane' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'chat-backplane' }.data.listening", equalTo(true));
    }

    private void killListener() {
        int killed = pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()").execute().await().indefinitely().size();
        assertThat(killed).isPositive();
    }

    static double slowConsumerCloses() {
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^switchboard_chat_slow_consumer_closes_total(?:\\{[^}]*\\})? ([0-9.eE+-]+)$")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
