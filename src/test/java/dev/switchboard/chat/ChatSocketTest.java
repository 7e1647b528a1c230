package dev.switchboard.chat;

import static dev.switchboard.support.ChatTestClient.connect;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Management;
import dev.switchboard.support.ChatTestClient;
import dev.switchboard.support.RawWebSocket;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class ChatSocketTest {

    @TestHTTPResource("/")
    URL base;

    static String room() {
        return "room-" + UUID.randomUUID().toString().substring(0, 8);
    }

    int port() {
        return base.getPort();
    }

    @Test
    void aMessageReachesEveryoneElseInTheRoomOnlyAndTheSenderGetsAnAck() {
        String room = room();
        try (ChatTestClient alice = connect(port(), room, "alice");
                ChatTestClient bob = connect(port(), room, "bob");
                ChatTestClient carol = connect(port(), room, "carol");
                ChatTestClient elsewhere = connect(port(), room(), "dave")) {
            alice.welcome();
            bob.welcome();
            carol.welcome();
            elsewhere.welcome();

            alice.say("hello room");
            JsonObject ack = alice.next("ack");
            long id = ack.getLong("id");
            assertThat(id).isPositive();
            assertThat(ack.getString("room")).isEqualTo(room);
            for (ChatTestClient other : List.of(bob, carol)) {
                JsonObject message = other.next("message");
                assertThat(message.getLong("id")).isEqualTo(id);
                assertThat(message.getString("room")).isEqualTo(room);
                assertThat(message.getString("from")).isEqualTo("alice");
                assertThat(message.getString("text")).isEqualTo("hello room");
                assertThat(message.getString("at")).isNotBlank();
            }

            // A later message from bob arrives after alice's would have: by then alice got no echo of her
            // own, and the other room got nothing.
            bob.say("second");
            long second = bob.next("ack").getLong("id");
            assertThat(second).isEqualTo(id + 1);
            assertThat(alice.next("message").getLong("id")).isEqualTo(second);
            assertThat(alice.messageIds()).containsExactly(second);
            elsewhere.say("other room");
            elsewhere.next("ack");
            assertThat(elsewhere.frames("message")).isEmpty();
            assertThat(carol.next("message").getLong("id")).isEqualTo(second);
            assertThat(carol.messageIds()).containsExactly(id, second);
        }
    }

    @Test
    void joinAndLeaveAreAnnouncedAndTheWelcomeListsWhoIsOnline() {
        String room = room();
        try (ChatTestClient alice = connect(port(), room, "alice")) {
            JsonObject welcome = alice.welcome();
            assertThat(welcome.getString("room")).isEqualTo(room);
            assertThat(welcome.getString("name")).isEqualTo("alice");
            assertThat(ChatTestClient.presentNames(welcome)).containsExactly("alice");

            ChatTestClient bob = connect(port(), room, "bob the builder");
            assertThat(ChatTestClient.presentNames(bob.welcome())).containsExactly("alice", "bob the builder");
            JsonObject join = alice.next("join");
            assertThat(join.getString("name")).isEqualTo("bob the builder");
            assertThat(join.getString("room")).isEqualTo(room);

            given().get("/api/rooms").then().statusCode(200)
                    .body("find { it.room == '" + room + "' }.online", equalTo(2));

            bob.close();
            assertThat(alice.next("leave").getString("name")).isEqualTo("bob the builder");
            given().get("/api/rooms").then().statusCode(200)
                    .body("find { it.room == '" + room + "' }.online", equalTo(1));
        }
    }

    @Test
    void aNewClientGetsTheLatestHistoryAndAFlagWhenOlderMessagesWereLeftOut() {
        String room = room();
        List<Long> ids = new ArrayList<>();
        // 60 messages: six senders stay within the burst allowance of the rate limit.
        List<ChatTestClient> senders = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            ChatTestClient sender = connect(port(), room, "sender" + s);
            sender.welcome();
            senders.add(sender);
        }
        for (int i = 0; i < 60; i++) {
            ChatTestClient sender = senders.get(i / 10);
            sender.say("message " + i);
            ids.add(sender.next("ack").getLong("id"));
        }
        senders.forEach(ChatTestClient::close);

        try (ChatTestClient late = connect(port(), room, "late")) {
            JsonObject welcome = late.welcome();
            List<JsonObject> history = welcome.getJsonArray("history").stream().map(JsonObject.class::cast).toList();
            assertThat(history).hasSize(50);
            assertThat(history.stream().map(m -> m.getLong("id")).toList()).isEqualTo(ids.subList(10, 60));
            assertThat(history.get(0).getString("text")).isEqualTo("message 10");
            assertThat(history.get(49).getString("from")).isEqualTo("sender5");
            assertThat(welcome.getBoolean("truncated")).isTrue();
        }
        try (ChatTestClient fresh = connect(port(), room(), "first")) {
            JsonObject welcome = fresh.welcome();
            assertThat(welcome.getJsonArray("history")).isEmpty();
            assertThat(welcome.getBoolean("truncated")).isFalse();
        }
    }

    @Test
    void aClientReconnectingWithSinceGetsExactlyWhatItMissed() {
        String room = room();
        try (ChatTestClient alice = connect(port(), room, "alice")) {
            alice.welcome();
            ChatTestClient bob = connect(port(), room, "bob");
            bob.welcome();
            alice.say("before 1");
            alice.say("before 2");
            alice.next("ack");
            long seen = alice.next("ack").getLong("id");
            assertThat(bob.next(f -> "message".equals(f.getString("type")) && f.getLong("id") == seen, "message").getString("text"))
                    .isEqualTo("before 2");
            bob.close();

            List<Long> missed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                alice.say("while away " + i);
                missed.add(alice.next("ack").getLong("id"));
            }
            try (ChatTestClient back = connect(port(), "/chat/" + room + "?name=bob&since=" + seen, Map.of())) {
                JsonObject welcome = back.welcome();
                assertThat(welcome.getJsonArray("history").stream().map(m -> ((JsonObject) m).getLong("id")).toList())
                        .isEqualTo(missed);
                assertThat(welcome.getBoolean("truncated")).isFalse();
                alice.say("live again");
                long live = alice.next("ack").getLong("id");
                assertThat(back.next("message").getLong("id")).isEqualTo(live);
                assertThat(back.messageIds()).containsExactly(live);
            }
        }
    }

    @Test
    void plainTextFramesAreMessagesToo() {
        String room = room();
        try (ChatTestClient alice = connect(port(), room, "alice"); ChatTestClient bob = connect(port(), room, "bob")) {
            alice.welcome();
            bob.welcome();
            alice.sendRaw("just typing here");
            alice.next("ack");
            assertThat(bob.next("message").getString("text")).isEqualTo("just typing here");
            alice.sendRaw("[1, 2, 3]");
            alice.next("ack");
            assertThat(bob.next("message").getString("text")).isEqualTo("[1, 2, 3]");
            alice.sendRaw("{\"text\": \"an object without a type is text too\"}");
            alice.next("ack");
            assertThat(bob.next("message").getString("text")).isEqualTo("{\"text\": \"an object without a type is text too\"}");
        }
    }

    @Test
    void badMessagesGetAnErrorFrameAndAreNotBroadcast() {
        String room = room();
        try (ChatTestClient alice = connect(port(), room, "alice"); ChatTestClient bob = connect(port(), room, "bob")) {
            alice.welcome();
            bob.welcome();
            alice.say("");
            assertThat(alice.next("error").getString("code")).isEqualTo("empty");
            alice.sendRaw("   ");
            assertThat(alice.next("error").getString("code")).isEqualTo("empty");
            alice.say("x".repeat(2001));
            JsonObject tooLong = alice.next("error");
            assertThat(tooLong.getString("code")).isEqualTo("too-long");
            assertThat(tooLong.getString("detail")).contains("2000");
            alice.sendRaw("{\"type\":\"shout\",\"text\":\"hi\"}");
            assertThat(alice.next("error").getString("code")).isEqualTo("invalid-type");
            alice.sendRaw("{\"type\":\"message\",\"text\":42}");
            assertThat(alice.next("error").getString("code")).isEqualTo("invalid-type");
            // 2000 characters, some outside the BMP, are fine.
            String longest = "\uD83D\uDE00".repeat(1000) + "y".repeat(1000);
            alice.say(longest);
            long id = alice.next("ack").getLong("id");
            JsonObject message = bob.next("message");
            assertThat(message.getLong("id")).isEqualTo(id);
            assertThat(message.getString("text")).isEqualTo(longest);
            assertThat(bob.frames("message")).hasSize(1);
        }
    }

    @Test
    void messagesBeyondTheRateLimitAreRefusedWithAnError() {
        String room = room();
        try (ChatTestClient alice = connect(port(), room, "alice"); ChatTestClient bob = connect(port(), room, "bob")) {
            alice.welcome();
            bob.welcome();
            for (int i = 0; i < 40; i++) {
                alice.say("flood " + i);
            }
            List<JsonObject> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                answers.add(alice.next(f -> "ack".equals(f.getString("type")) || "error".equals(f.getString("type")),
                        "ack or error"));
            }
            List<Long> acked = answers.stream().filter(f -> "ack".equals(f.getString("type"))).map(f -> f.getLong("id")).toList();
            List<JsonObject> errors = answers.stream().filter(f -> "error".equals(f.getString("type"))).toList();
            assertThat(acked.size() + errors.size()).isEqualTo(40);
            // Burst of 10, then 20 per second: the whole burst gets through, and 40 at once cannot all.
            // How many refills land meanwhile depends on how fast this client writes, so no upper bound.
            assertThat(acked.size()).isGreaterThanOrEqualTo(10);
            assertThat(errors).isNotEmpty();
            assertThat(errors).allSatisfy(e -> assertThat(e.getString("code")).isEqualTo("rate-limited"));
            // bob gets exactly the accepted ones, in order.
            long last = acked.get(acked.size() - 1);
            bob.next(f -> "message".equals(f.getString("type")) && f.getLong("id") == last, "last accepted message");
            assertThat(bob.messageIds()).isEqualTo(acked);
        }
    }

    @Test
    void nothingReachesAClientBeforeItsWelcome() throws Exception {
        String room = room();
        for (int c = 0; c < 10; c++) {
            // Frames sent right after the upgrade, before the server could have welcomed the client.
            try (RawWebSocket raw = RawWebSocket.connect(port(), "/chat/" + room + "?name=eager" + c, 65536)) {
                raw.sendText("   ");
                raw.sendText("{\"type\":\"nonsense\"}");
                raw.sendText("hello " + c);
                List<String> types = new ArrayList<>();
                while (types.size() < 4) {
                    RawWebSocket.Frame frame = raw.read();
                    if (frame.opcode() == RawWebSocket.Frame.TEXT) {
                        String type = new JsonObject(frame.text()).getString("type");
                        if (!"join".equals(type) && !"leave".equals(type)) {
                            types.add(type);
                        }
                    }
                }
                assertThat(types.get(0)).isEqualTo("welcome");
                assertThat(types.subList(1, 4)).containsExactlyInAnyOrder("error", "error", "ack");
            }
        }
    }

    @Test
    void invalidHandshakesAreClosedWith1008AndAReason() {
        String room = room();
        assertRefused("/chat/" + "r".repeat(65) + "?name=x", Map.of(), "invalid room");
        assertRefused("/chat/bad%24room?name=x", Map.of(), "invalid room");
        assertRefused("/chat/" + room + "?name=ok&since=yesterday", Map.of(), "since");
        assertRefused("/chat/" + room + "?name=ok", Map.of("Origin", "http://evil.example"), "origin not allowed");

        // The page's own origin is allowed.
        try (ChatTestClient ok = connect(port(), "/chat/" + room + "?name=ok",
                Map.of("Origin", "http://localhost:" + port()))) {
            assertThat(ok.welcome().getString("name")).isEqualTo("ok");
        }
    }

    private void assertRefused(String pathAndQuery, Map<String, String> headers, String reason) {
        try (ChatTestClient client = connect(port(), pathAndQuery, headers)) {
            assertThat(client.awaitClose()).as(pathAndQuery).isEqualTo(1008);
            assertThat(client.closeReason()).as(pathAndQuery).contains(reason);
            assertThat(client.frames()).as(pathAndQuery).isEmpty();
        }
    }

    @Test
    void aFrameOverTheSizeCapClosesWith1009() {
        String room = room();
        try (ChatTestClient alice = connect(port(), room, "alice"); ChatTestClient bob = connect(port(), room, "bob")) {
            alice.welcome();
            bob.welcome();
            alice.sendRaw("z".repeat(20_000));
            assertThat(alice.awaitClose()).isEqualTo(1009);
            assertThat(alice.closeReason()).contains("16384");
            assertThat(bob.next("leave").getString("name")).isEqualTo("alice");
            assertThat(bob.frames("message")).isEmpty();
        }
        // Above quarkus.websockets-next.server.max-message-size the framework itself refuses the message
        // (1009, or no close frame at all: 1006 on the client).
        try (ChatTestClient huge = connect(port(), room, "huge"); ChatTestClient bob = connect(port(), room, "bob2")) {
            huge.welcome();
            bob.welcome();
            huge.sendRaw("z".repeat(70_000));
            assertThat(huge.awaitClose()).isIn(1006, 1009);
            assertThat(bob.next("leave").getString("name")).isEqualTo("huge");
            assertThat(bob.frames("message")).isEmpty();
        }
    }

    @Test
    void chatMetricsArePublished() {
        String room = room();
        try (ChatTestClient alice = connect(port(), room, "alice"); ChatTestClient bob = connect(port(), room, "bob")) {
            alice.welcome();
            bob.welcome();
            alice.say("counted");
            alice.next("ack");
            bob.next("message");
            String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(metrics).contains("switchboard_chat_connections", "switchboard_chat_messages_in_total",
                    "switchboard_chat_messages_out_total", "switchboard_chat_broadcast_latency_seconds_count");
            assertThat(metrics).containsPattern("(?m)^switchboard_chat_connections(\\{[^}]*\\})? [1-9]");
        }
    }

    @Test
    void historyPagesOverHttp() {
        String room = room();
        List<Long> ids = new ArrayList<>();
        try (ChatTestClient alice = connect(port(), room, "alice")) {
            alice.welcome();
            for (int i = 0; i < 5; i++) {
                alice.say("page " + i);
                ids.add(alice.next("ack").getLong("id"));
            }
        }
        var page = given().queryParam("limit", 2).get("/api/rooms/{room}/messages", room)
                .then().statusCode(200).extract().jsonPath();
        assertThat(page.getList("items.id", Long.class)).isEqualTo(ids.subList(3, 5));
        assertThat(page.getList("items.text", String.class)).containsExactly("page 3", "page 4");
        long before = page.getLong("before");
        page = given().queryParam("limit", 2).queryParam("before", before).get("/api/rooms/{room}/messages", room)
                .then().statusCode(200).extract().jsonPath();
        assertThat(page.getList("items.id", Long.class)).isEqualTo(ids.subList(1, 3));
        page = given().queryParam("limit", 2).queryParam("before", page.getLong("before"))
                .get("/api/rooms/{room}/messages", room).then().statusCode(200).extract().jsonPath();
        assertThat(page.getList("items.id", Long.class)).isEqualTo(ids.subList(0, 1));
        assertThat(page.get("before") == null).isTrue();

        given().get("/api/rooms").then().statusCode(200)
                .body("find { it.room == '" + room + "' }.lastMessageId", equalTo(ids.get(4).intValue()));

        given().queryParam("limit", 0).get("/api/rooms/{room}/messages", room).then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("limit"));
        given().queryParam("limit", 201).get("/api/rooms/{room}/messages", room).then().statusCode(400)
                .contentType("application/problem+json");
        given().queryParam("before", "soon").get("/api/rooms/{room}/messages", room).then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("before"));
        given().get("/api/rooms/{room}/messages", "bad$room").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("invalid room"));
    }
}
