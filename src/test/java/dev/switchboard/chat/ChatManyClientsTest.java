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

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.ChatTestClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class ChatManyClientsTest {

    static final int CLIENTS = 500;
    static final int SENDERS = 10;
    static final int MESSAGES_PER_SENDER = 10;

    @TestHTTPResource("/")
    URL base;

    @Test
    void fiveHundredClientsInOneRoomGetEveryMessageExactlyOnceAndInOrder() throws Exception {
        String room = "crowd-" + UUID.randomUUID().toString().substring(0, 8);
        List<CompletableFuture<ChatTestClient>> connecting = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            connecting.add(ChatTestClient.connectAsync(base.getPort(), "/chat/" + room + "?name=c" + i, Map.of()));
        }
        CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        List<ChatTestClient> clients = connecting.stream().map(CompletableFuture::join).toList();
        try {
            clients.forEach(ChatTestClient::welcome);

            // All senders send at once; each message is acked with its id.
            List<ChatTestClient> senders = clients.subList(0, SENDERS);
            for (int m = 0; m < MESSAGES_PER_SENDER; m++) {
                for (ChatTestClient sender : senders) {
                    sender.say(sender.name() + " #" + m);
                }
            }
            List<List<Long>> ackedBySender = new ArrayList<>();
            List<Long> all = new ArrayList<>();
            for (ChatTestClient sender : senders) {
                List<Long> acked = new ArrayList<>();
                for (int m = 0; m < MESSAGES_PER_SENDER; m++) {
                    acked.add(sender.next("ack").getLong("id"));
                }
                assertThat(acked).as("acks of " + sender.name()).isSorted();
                ackedBySender.add(acked);
                all.addAll(acked);
            }
            List<Long> expected = all.stream().sorted().toList();
            assertThat(expected).doesNotHaveDuplicates().hasSize(SENDERS * MESSAGES_PER_SENDER);
            long last = expected.get(expected.size() - 1);

            for (int i = 0; i < CLIENTS; i++) {
                ChatTestClient client = clients.get(i);
                List<Long> own = i < SENDERS ? ackedBySender.get(i) : List.of();
                List<Long> wanted = expected.stream().filter(id -> !own.contains(id)).toList();
                long lastWanted = wanted.get(wanted.size() - 1);
                // Not next(): a sender's wait for its acks may already have passed over this message.
                // No initial poll delay: Awaitility's default 100 ms per client added up to a minute.
                Awaitility.await("last message of " + client.name()).atMost(Duration.ofSeconds(20))
                        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                        .until(() -> client.messageIds().contains(lastWanted));
                assertThat(client.messageIds()).as(client.name()).isEqualTo(wanted);
                for (JsonObject message : client.frames("message")) {
                    assertThat(message.getString("text")).startsWith(message.getString("from") + " #");
                }
            }
            assertThat(last).isPositive();
        } finally {
            clients.forEach(ChatTestClient::close);
        }
    }
}
