package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.ChatTestClient;
import dev.switchboard.support.LogCapture;
import dev.switchboard.support.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.vertx.core.json.JsonObject;

/** Who may connect to the chat, and who is speaking: the token's, never the client's, over real WebSockets. */
@QuarkusTest
class ChatIdentityTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URL base;

    private int port() {
        return base.getPort();
    }

    private static String room() {
        return "id-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private ChatTestClient as(String token, String room) {
        return ChatTestClient.connect(port(), "/chat/" + room, Map.of("Authorization", "Bearer " + token));
    }

    /** The HTTP status an upgrade with these headers is refused with. */
    private int refusal(String room, Map<String, String> headers) {
        return ChatTestClient.refusedUpgrade(port(), "/chat/" + room, headers);
    }

    @Test
    void anUpgradeWithoutAValidTokenIsRefusedWith401AndNothingLogged() {
        try (LogCapture log = LogCapture.warningsAndErrors()) {
            refuseInvalidTokens();
            assertThat(log.lines()).as("a client's bad token is no WARN or ERROR").isEmpty();
        }
    }

    private void refuseInvalidTokens() {
        String room = room();
        Instant now = Instant.now();
        assertThat(refusal(room, Map.of())).as("no token").isEqualTo(401);
        assertThat(refusal(room, Map.of("Authorization", "Bearer not-a-token"))).as("garbage").isEqualTo(401);
        assertThat(refusal(room, bearer(Tokens.sign(Tokens.claims().subject("late").issuedAt(now.minusSeconds(600))
                .expiresAt(now.minusSeconds(120)))))).as("expired").isEqualTo(401);
        assertThat(refusal(room, bearer(Tokens.sign(Tokens.claims().subject("x").issuer("https://elsewhere.example")))))
                .as("another issuer").isEqualTo(401);
        // The public key, which anyone may read, used as an HMAC secret.
        byte[] publicKey = Tokens.keys().publicPem().getBytes(StandardCharsets.US_ASCII);
        assertThat(refusal(room, bearer(Tokens.claims().subject("x").jws().algorithm(SignatureAlgorithm.HS256)
                .sign(new SecretKeySpec(publicKey, "HmacSHA256"))))).as("HMAC").isEqualTo(401);
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String unsigned = base64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(("{\"iss\":\"" + Tokens.ISSUER + "\",\"aud\":\"" + Tokens.AUDIENCE
                        + "\",\"sub\":\"x\",\"exp\":" + now.plusSeconds(600).getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8))
                + ".";
        assertThat(refusal(room, bearer(unsigned))).as("alg none").isEqualTo(401);
        // No token in the query string: it is not read from there.
        assertThat(refusal(room + "?access_token=" + Tokens.chat("ada"), Map.of())).as("query token").isEqualTo(401);

        // The same room with a valid token is open: the refusals above are the tokens'.
        try (ChatTestClient ada = as(Tokens.chat("ada"), room)) {
            assertThat(ada.welcome().getString("name")).isEqualTo("ada");
        }
    }

    @Test
    void aBrowserCarriesItsTokenInTheSubprotocolList() {
        String room = room();
        String carrier = URLEncoder.encode("quarkus-http-upgrade#Authorization#Bearer " + Tokens.chat("browser"),
                StandardCharsets.UTF_8).replace("+", "%20");
        WebSocket socket = HTTP.newWebSocketBuilder().subprotocols("switchboard-chat", carrier)
                .buildAsync(URI.create("ws://localhost:" + port() + "/chat/" + room), new WebSocket.Listener() {
                }).orTimeout(30, TimeUnit.SECONDS).join();
        try {
            assertThat(socket.getSubprotocol()).as("the subprotocol the server selected").isEqualTo("switchboard-chat");
        } finally {
            socket.abort();
        }
        // Without the carrier the same subprotocol gets no further than a missing token.
        assertThatThrownBy(() -> HTTP.newWebSocketBuilder().subprotocols("switchboard-chat")
                .buildAsync(URI.create("ws://localhost:" + port() + "/chat/" + room), new WebSocket.Listener() {
                }).join()).hasCauseInstanceOf(WebSocketHandshakeException.class);
    }

    @Test
    void theNameIsTheTokensAndAClientChosenOneIsIgnored() {
        String room = room();
        try (ChatTestClient bob = ChatTestClient.connect(port(), "/chat/" + room + "?name=admin",
                Map.of("Authorization", "Bearer " + Tokens.chatUser("bob-1", "bob")));
                ChatTestClient watcher = as(Tokens.chat("watcher"), room)) {
            JsonObject welcome = bob.welcome();
            assertThat(welcome.getString("name")).as("the welcome says which name was taken").isEqualTo("bob");
            assertThat(welcome.getString("user")).isEqualTo("bob-1");
            watcher.welcome();
            bob.say("I am the admin");
            JsonObject message = watcher.next("message");
            assertThat(message.getString("from")).isEqualTo("bob");
            assertThat(message.getString("user")).isEqualTo("bob-1");
        }
        // The history keeps who it was.
        try (ChatTestClient later = as(Tokens.chat("later"), room)) {
            JsonObject stored = later.welcome().getJsonArray("history").getJsonObject(0);
            assertThat(stored.getString("from")).isEqualTo("bob");
            assertThat(stored.getString("user")).isEqualTo("bob-1");
        }
    }

    @Test
    void twoPeopleWithOneNameAreToldApartAndEachUserIsPresentOnce() {
        String room = room();
        String ada1 = Tokens.chatUser("ada-1", "ada");
        try (ChatTestClient first = as(ada1, room)) {
            first.welcome();
            try (ChatTestClient impostor = as(Tokens.chatUser("ada-2", "ada"), room);
                    ChatTestClient secondTab = as(ada1, room)) {
                JsonObject joined = first.next("join");
                assertThat(joined.getString("name")).isEqualTo("ada");
                assertThat(joined.getString("user")).isEqualTo("ada-2");
                JsonObject welcome = secondTab.welcome();
                assertThat(ChatTestClient.presentNames(welcome)).as("each user once, however many connections it holds")
                        .containsExactly("ada", "ada");
                assertThat(welcome.getJsonArray("presence").stream().map(p -> ((JsonObject) p).getString("user")))
                        .containsExactlyInAnyOrder("ada-1", "ada-2");

                impostor.welcome();
                impostor.say("it is me, ada");
                JsonObject message = first.next("message");
                assertThat(message.getString("from")).isEqualTo("ada");
                assertThat(message.getString("user")).as("not the reader's own").isEqualTo("ada-2");

                secondTab.close();
                impostor.say("still here?");
                first.next(f -> "message".equals(f.getString("type")) && "still here?".equals(f.getString("text")), "message");
                assertThat(first.frames("leave")).as("ada-1 still holds a connection: no leave").isEmpty();
                assertThat(first.frames("join")).as("the second tab of ada-1 is no join").hasSize(1);
            }
            JsonObject left = first.next("leave");
            assertThat(left.getString("user")).isEqualTo("ada-2");
        }
    }

    @Test
    void aUserHoldsAtMostItsCapOfConnections() {
        String room = room();
        String token = Tokens.chatUser("busy-" + UUID.randomUUID(), "busy");
        List<ChatTestClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                ChatTestClient client = as(token, room);
                client.welcome();
                open.add(client);
            }
            try (ChatTestClient extra = as(token, room)) {
                assertThat(extra.awaitClose()).isEqualTo(1013);
                assertThat(extra.closeReason()).contains("too many connections for your user");
            }
            try (ChatTestClient other = as(Tokens.chat("other"), room)) {
                assertThat(other.welcome().getString("name")).as("other users are not held up").isEqualTo("other");
            }
            open.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (ChatTestClient again = as(token, room)) {
                    assertThat(again.welcome().getString("name")).isEqualTo("busy");
                }
            });
        } finally {
            open.forEach(ChatTestClient::close);
        }
    }

    @Test
    void aConnectionEndsWithItsTokenAndTheClientRecoversWithSince() {
        String room = room();
        Instant now = Instant.now();
        String shortLived = Tokens.sign(Tokens.claims().subject("brief").preferredUserName("brief")
                .issuedAt(now).expiresAt(now.plusSeconds(3)));
        try (ChatTestClient talker = as(Tokens.chat("talker"), room)) {
            talker.welcome();
            long lastSeen;
            try (ChatTestClient brief = as(shortLived, room)) {
                brief.welcome();
                talker.say("before expiry");
                lastSeen = brief.next("message").getLong("id");
                assertThat(brief.awaitClose()).as("closed when the token expires").isEqualTo(1008);
                assertThat(brief.closeReason()).containsIgnoringCase("expired");
            }
            talker.say("while away 1");
            talker.say("while away 2");
            talker.next("ack");
            talker.next("ack");
            try (ChatTestClient back = ChatTestClient.connect(port(), "/chat/" + room + "?since=" + lastSeen,
                    Map.of("Authorization", "Bearer " + Tokens.chatUser("brief", "brief")))) {
                assertThat(back.welcome().getJsonArray("history").stream().map(m -> ((JsonObject) m).getString("text")))
                        .containsExactly("while away 1", "while away 2");
            }
        }
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }
}
