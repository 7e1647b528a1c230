package dev.switchboard.chat;

import static dev.switchboard.support.ChatTestClient.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.ChatTestClient;
import dev.switchboard.support.HeldLock;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Nothing lost, nothing stuck: bad text, a refused message inside a batch, a database that does not answer, retention, epochs. */
@QuarkusTest
@TestProfile(ChatIntegrityTest.SmallLimits.class)
class ChatIntegrityTest {

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.chat.max-unstored-per-room", "4",
                    "switchboard.chat.retention.max-messages", "5",
                    "switchboard.chat.retention.interval", "200ms");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Inject
    Pool pool;

    static String room() {
        return "room-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String message(String text, String ref) {
        return new JsonObject().put("type", "message").put("text", text).put("ref", ref).encode();
    }

    private static JsonObject answerTo(ChatTestClient client, String ref) {
        return client.next(f -> ref.equals(f.getString("ref")), "answer to " + ref);
    }

    @Test
    void textWithNulOrALoneSurrogateIsRefusedAsInvalidText() {
        try (ChatTestClient ada = connect(base.getPort(), room(), "ada")) {
            ada.welcome();
            ada.sendRaw("{\"type\":\"message\",\"text\":\"a\\u0000b\",\"ref\":\"nul\"}");
            ada.sendRaw("{\"type\":\"message\",\"text\":\"a\\ud800b\",\"ref\":\"surrogate\"}");
            ada.sendRaw(message("fine", "fine"));
            JsonObject nul = answerTo(ada, "nul");
            assertThat(nul.getString("type")).isEqualTo("error");
            assertThat(nul.getString("code")).isEqualTo("invalid-text");
            assertThat(nul.getString("detail")).contains("U+0000");
            assertThat(answerTo(ada, "surrogate").getString("code")).isEqualTo("invalid-text");
            JsonObject ack = answerTo(ada, "fine");
            assertThat(ack.getString("type")).isEqualTo("ack");
            assertThat(ack.getLong("id")).as("nothing else was stored").isEqualTo(1);
        }
    }

    @Test
    void aMessageTheDatabaseRefusesFailsAloneNotWithItsBatch() throws Exception {
        String room = room();
        pool.query("ALTER TABLE chat_messages ADD CONSTRAINT poison_for_test CHECK (body <> 'poison') NOT VALID")
                .execute().await().atMost(Duration.ofSeconds(10));
        try (ChatTestClient ada = connect(base.getPort(), room, "ada")) {
            ada.welcome();
            ada.sendRaw(message("first", "first"));
            assertThat(answerTo(ada, "first").getLong("id")).isEqualTo(1);
            try (HeldLock lock = HeldLock.take(pool, "SELECT 1 FROM chat_rooms WHERE room = '" + room + "' FOR UPDATE")) {
                // The room's row is locked: this insert waits, and what follows queues up for one batch.
                ada.sendRaw(message("waits", "waits"));
                await().atMost(Duration.ofSeconds(10)).until(() -> insertsWaiting() > 0);
                ada.sendRaw(message("good-1", "good-1"));
                ada.sendRaw(message("poison", "poison"));
                ada.sendRaw(message("good-2", "good-2"));
                // The chat handles a connection's frames in order: once this refusal is back, all three are queued.
                ada.sendRaw(message(" ", "queued"));
                assertThat(answerTo(ada, "queued").getString("code")).isEqualTo("empty");
            }
            assertThat(answerTo(ada, "waits").getLong("id")).isEqualTo(2);
            JsonObject good1 = answerTo(ada, "good-1");
            JsonObject poison = answerTo(ada, "poison");
            JsonObject good2 = answerTo(ada, "good-2");
            assertThat(good1.getString("type")).isEqualTo("ack");
            assertThat(poison.getString("type")).isEqualTo("error");
            assertThat(poison.getString("code")).isEqualTo("rejected");
            assertThat(poison.getString("detail")).contains("not stored");
            assertThat(good2.getString("type")).isEqualTo("ack");
            assertThat(List.of(good1.getLong("id"), good2.getLong("id"))).as("no id lost to the refused message")
                    .containsExactly(3L, 4L);
        } finally {
            pool.query("ALTER TABLE chat_messages DROP CONSTRAINT poison_for_test").execute().await().atMost(Duration.ofSeconds(10));
        }
    }

    @Test
    void aDatabaseThatDoesNotAnswerGetsSendersAnUnavailableNotSilenceAndTheQueueIsBounded() throws Exception {
        String room = room();
        try (ChatTestClient ada = connect(base.getPort(), room, "ada")) {
            ada.welcome();
            long started;
            try (HeldLock lock = HeldLock.take(pool, "LOCK TABLE chat_messages IN EXCLUSIVE MODE")) {
                started = System.nanoTime();
                ada.sendRaw(message("stuck", "stuck"));
                await().atMost(Duration.ofSeconds(10)).until(() -> insertsWaiting() > 0);
                for (int i = 1; i <= 5; i++) {
                    ada.sendRaw(message("queued " + i, "q" + i));
                }
                // Four wait for the database (max-unstored-per-room); the fifth is refused at once.
                JsonObject refused = answerTo(ada, "q5");
                assertThat(refused.getString("code")).isEqualTo("unavailable");
                assertThat(refused.getString("detail")).contains("not sent").contains("waiting for the database");
                assertThat(ada.frames()).as("refused while the first still waits").noneMatch(f -> "stuck".equals(f.getString("ref")));
                JsonObject stuck = answerTo(ada, "stuck");
                assertThat(stuck.getString("code")).isEqualTo("unavailable");
                assertThat(stuck.getString("detail")).contains("not stored");
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                        .as("answered within the lock timeout (2 s), with a generous margin").isLessThan(Duration.ofSeconds(15));
            }
            for (int i = 1; i <= 4; i++) {
                assertThat(answerTo(ada, "q" + i).getString("type")).as("q%d stored once the database answers", i).isEqualTo("ack");
            }
        }
    }

    @Test
    void retentionKeepsTheNewestMessagesAndTellsAClientAskingForOlderOnes() {
        String room = roomWithMessages(8);
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT count(*) FROM chat_messages WHERE room = $1", room) == 5);
        try (ChatTestClient late = connect(base.getPort(), "/chat/" + room + "?name=late&since=1", Map.of())) {
            JsonObject welcome = late.welcome();
            assertThat(welcome.getBoolean("truncated")).as("ids 2 and 3 are gone").isTrue();
            assertThat(ids(welcome)).containsExactly(4L, 5L, 6L, 7L, 8L);
        }
        try (ChatTestClient recent = connect(base.getPort(), "/chat/" + room + "?name=recent&since=5", Map.of())) {
            JsonObject welcome = recent.welcome();
            assertThat(welcome.getBoolean("truncated")).isFalse();
            assertThat(ids(welcome)).containsExactly(6L, 7L, 8L);
        }
    }

    @Test
    void retentionDeletesMessagesOlderThanTheMaximumAge() {
        String room = roomWithMessages(3);
        count("WITH aged AS (UPDATE chat_messages SET sent_at = now() - interval '31 days' WHERE room = $1 AND id <= 2 RETURNING 1) "
                + "SELECT count(*) FROM aged", room);
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT count(*) FROM chat_messages WHERE room = $1", room) == 1);
        try (ChatTestClient late = connect(base.getPort(), "/chat/" + room + "?name=late&since=0", Map.of())) {
            JsonObject welcome = late.welcome();
            assertThat(welcome.getBoolean("truncated")).isTrue();
            assertThat(ids(welcome)).containsExactly(3L);
        }
    }

    @Test
    void aClientWithIdsOfAnEarlierEpochOfTheRoomIsToldSo() {
        String room = room();
        String oldEpoch;
        try (ChatTestClient ada = connect(base.getPort(), room, "ada")) {
            oldEpoch = ada.welcome().getString("epoch");
            assertThat(oldEpoch).isNotBlank();
            ada.sendRaw(message("before the reset", "a"));
            answerTo(ada, "a");
        }
        try (ChatTestClient again = connect(base.getPort(), "/chat/" + room + "?name=ada&since=1&epoch=" + oldEpoch, Map.of())) {
            JsonObject welcome = again.welcome();
            assertThat(welcome.getString("epoch")).isEqualTo(oldEpoch);
            assertThat(welcome.containsKey("epochChanged")).isFalse();
        }
        // The room is reset (as by restoring an older backup or deleting it): its ids start again from 1.
        count("WITH m AS (DELETE FROM chat_messages WHERE room = $1), r AS (DELETE FROM chat_rooms WHERE room = $1 RETURNING 1) "
                + "SELECT count(*) FROM r", room);
        try (ChatTestClient bob = connect(base.getPort(), room, "bob")) {
            bob.welcome();
            bob.sendRaw(message("after the reset", "b"));
            assertThat(answerTo(bob, "b").getLong("id")).isEqualTo(1);
        }
        try (ChatTestClient ada = connect(base.getPort(), "/chat/" + room + "?name=ada&since=1&epoch=" + oldEpoch, Map.of())) {
            JsonObject welcome = ada.welcome();
            assertThat(welcome.getBoolean("epochChanged")).isTrue();
            assertThat(welcome.getString("epoch")).isNotEqualTo(oldEpoch);
            assertThat(welcome.getJsonArray("history").getJsonObject(0).getString("text"))
                    .as("id 1 of the new epoch, which since=1 alone would have skipped").isEqualTo("after the reset");
        }
    }

    /** A new room where ada stored this many messages (m1, m2, ...), one after the other. */
    private String roomWithMessages(int count) {
        String room = room();
        try (ChatTestClient ada = connect(base.getPort(), room, "ada")) {
            ada.welcome();
            for (int i = 1; i <= count; i++) {
                ada.sendRaw(message("m" + i, "r" + i));
                assertThat(answerTo(ada, "r" + i).getString("type")).isEqualTo("ack");
            }
        }
        return room;
    }

    private static List<Long> ids(JsonObject welcome) {
        return welcome.getJsonArray("history").stream().map(m -> ((JsonObject) m).getLong("id")).toList();
    }

    private long insertsWaiting() {
        return count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1",
                "%INSERT INTO chat_messages%");
    }

    private long count(String sql, String parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }
}
