package dev.switchboard.chat;

import static dev.switchboard.support.ChatTestClient.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.ChatTestClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.http.ContentType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/**
 * Connection caps per replica and per client address, invalid frames paying into the rate limit, and the bound
 * on guest tokens per address (without which one address could mint a user for every socket).
 */
@QuarkusTest
@TestProfile(ChatLimitsTest.SmallCaps.class)
class ChatLimitsTest {

    /** Behind a trusted proxy whose header the test sets, so it can speak for several addresses. */
    public static class SmallCaps implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.chat.max-connections", "5",
                    "switchboard.chat.max-connections-per-address", "2",
                    "switchboard.chat.client-address-header", "X-Forwarded-For",
                    "switchboard.security.guests.per-address", "3");
        }
    }

    @TestHTTPResource("/")
    URL base;

    private ChatTestClient from(String address, String room, String name) {
        return connect(base.getPort(), "/chat/" + room + "?name=" + name,
                Map.of("X-Forwarded-For", "203.0.113.250, " + address));
    }

    @Test
    void oneAddressGetsABurstOfGuestTokensThen429WithRetryAfter() {
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON).body(Map.of("name", "g" + i)).post("/api/auth/guest").then().statusCode(200);
        }
        given().contentType(ContentType.JSON).body(Map.of("name", "one-too-many")).post("/api/auth/guest").then()
                .statusCode(429).contentType("application/problem+json")
                .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .body("status", equalTo(429), "detail", containsString("Too many guest tokens for your address"));
    }

    @Test
    void connectionsPastTheCapsAreRefusedWith1013AndAReason() {
        String room = "room-" + UUID.randomUUID().toString().substring(0, 8);
        List<ChatTestClient> open = new ArrayList<>();
        try {
            open.add(awaitAdmitted("10.0.0.1", room));
            open.add(awaitAdmitted("10.0.0.1", room));
            try (ChatTestClient third = from("10.0.0.1", room, "third")) {
                assertThat(third.awaitClose()).isEqualTo(1013);
                assertThat(third.closeReason()).contains("too many connections from your address");
            }
            for (String address : List.of("10.0.0.2", "10.0.0.2", "10.0.0.3")) {
                open.add(awaitAdmitted(address, room));
            }
            try (ChatTestClient sixth = from("10.0.0.4", room, "sixth")) {
                assertThat(sixth.awaitClose()).isEqualTo(1013);
                assertThat(sixth.closeReason()).contains("server full");
            }
            ChatTestClient leaving = open.remove(0);
            leaving.close();
            ChatTestClient admitted = awaitAdmitted("10.0.0.1", room);
            open.add(admitted);
        } finally {
            open.forEach(ChatTestClient::close);
        }
    }

    // The server counts a closed connection out once it has seen the close (this test's or an earlier one's):
    // a newcomer just before that is refused, so try until admitted.
    private ChatTestClient awaitAdmitted(String address, String room) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> {
            ChatTestClient client = from(address, room, "again");
            await().atMost(Duration.ofSeconds(10)).until(() -> client.isClosed() || !client.frames("welcome").isEmpty());
            return client.isClosed() ? null : client;
        }, Objects::nonNull);
    }

    @Test
    void invalidFramesCountAgainstTheRateLimit() {
        String room = "room-" + UUID.randomUUID().toString().substring(0, 8);
        try (ChatTestClient ada = from("10.0.1.1", room, "ada")) {
            ada.welcome();
            // The burst is 10 frames: ten invalid ones use it up, so the next valid message is refused.
            for (int i = 0; i < 10; i++) {
                ada.sendRaw(new JsonObject().put("type", "message").put("text", " ").put("ref", "bad" + i).encode());
            }
            ada.sendRaw(new JsonObject().put("type", "message").put("text", "hello").put("ref", "valid").encode());
            JsonObject answer = ada.next(f -> "valid".equals(f.getString("ref")), "answer to the valid message");
            assertThat(answer.getString("code")).isEqualTo("rate-limited");
            assertThat(ada.frames("error").stream().filter(f -> "empty".equals(f.getString("code")))).hasSize(10);
        }
    }
}
