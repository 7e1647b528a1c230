package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.ChatTestClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * What a new member sees, exactly, while the room is busy and others join at the same time: the welcome
 * first, then every message after its history, once, in id order, with no gap. Joins run many times over,
 * several at once, because a wrong order shows only now and then.
 */
@QuarkusTest
class ChatFrameOrderTest {

    static final int JOINERS = 60;
    static final int AT_ONCE = 6;
    static final int SENDERS = 3;

    @TestHTTPResource("/")
    URL base;

    @Test
    void aNewMemberGetsItsWelcomeFirstThenEveryLaterMessageInOrder() throws Exception {
        String room = "order-" + UUID.randomUUID().toString().substring(0, 8);
        int port = base.getPort();
        List<ChatTestClient> senders = new ArrayList<>();
        for (int i = 0; i < SENDERS; i++) {
            ChatTestClient sender = ChatTestClient.connect(port, room, "sender" + i);
            sender.welcome();
            senders.add(sender);
        }
        AtomicBoolean sending = new AtomicBoolean(true);
        // Each sender stays under the rate limit (20/s) and waits for each answer, so every message is stored.
        List<CompletableFuture<Void>> traffic = senders.stream().map(sender -> CompletableFuture.runAsync(() -> {
            for (int n = 0; sending.get(); n++) {
                sender.say(sender.name() + " #" + n);
                assertThat(sender.next(f -> "ack".equals(f.getString("type")), "ack").getLong("id")).isPositive();
                sleep(70);
            }
        })).toList();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> senders.get(0).frames("ack").size() >= 3);
            for (int round = 0; round < JOINERS / AT_ONCE; round++) {
                List<CompletableFuture<ChatTestClient>> joining = new ArrayList<>();
                for (int i = 0; i < AT_ONCE; i++) {
                    joining.add(ChatTestClient.connectAsync(port, "/chat/" + room + "?name=j" + round + "-" + i, Map.of()));
                }
                List<ChatTestClient> joiners = new ArrayList<>();
                for (CompletableFuture<ChatTestClient> join : joining) {
                    joiners.add(join.get(30, TimeUnit.SECONDS));
                }
                try {
                    for (ChatTestClient joiner : joiners) {
                        assertOrder(joiner);
                    }
                } finally {
                    joiners.forEach(ChatTestClient::close);
                }
            }
        } finally {
            sending.set(false);
            CompletableFuture.allOf(traffic.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            senders.forEach(ChatTestClient::close);
        }
    }

    private static void assertOrder(ChatTestClient joiner) {
        JsonObject welcome = joiner.welcome();
        List<Object> history = welcome.getJsonArray("history").getList();
        assertThat(history).as("history of " + joiner.name()).isNotEmpty();
        long last = welcome.getJsonArray("history").getJsonObject(history.size() - 1).getLong("id");
        // Wait for a few live messages, then look at everything it got, in order.
        joiner.next(f -> "message".equals(f.getString("type")) && f.getLong("id") >= last + 3, "live messages");
        List<JsonObject> frames = joiner.frames();
        assertThat(frames.get(0).getString("type")).as("first frame of " + joiner.name()).isEqualTo("welcome");
        assertThat(frames.stream().filter(f -> "welcome".equals(f.getString("type")))).hasSize(1);
        List<Long> ids = joiner.messageIds();
        for (int i = 0; i < ids.size(); i++) {
            assertThat(ids.get(i)).as("message %d of %s after history up to %d: %s", i, joiner.name(), last, ids)
                    .isEqualTo(last + 1 + i);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
