package dev.switchboard.chat;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.ChatTestClient;
import dev.switchboard.support.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * Private rooms ({@code team-*} in the tests): entered, read and listed only with the room in the token's
 * {@code rooms} claim or as an admin, on the socket and over HTTP alike; every other room stays open.
 */
@QuarkusTest
class PrivateRoomsTest {

    @TestHTTPResource("/")
    URL base;

    private static String teamRoom() {
        return "team-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String member(String... rooms) {
        return Tokens.sign(Tokens.claims().subject("member-" + UUID.randomUUID()).preferredUserName("member")
                .claim(PrivateRooms.ROOMS_CLAIM, List.of(rooms)));
    }

    private ChatTestClient connect(String token, String room) {
        return ChatTestClient.connect(base.getPort(), "/chat/" + room, Map.of("Authorization", "Bearer " + token));
    }

    private int refusal(String token, String room) {
        return ChatTestClient.refusedUpgrade(base.getPort(), "/chat/" + room, Map.of("Authorization", "Bearer " + token));
    }

    @Test
    void aPrivateRoomIsEnteredWithItInTheTokenOrAsAnAdmin() {
        String room = teamRoom();
        assertThat(refusal(Tokens.chat("outsider"), room)).as("a valid token without the room").isEqualTo(403);
        assertThat(refusal(member("team-other"), room)).as("another room in the claim").isEqualTo(403);
        try (ChatTestClient named = connect(member(room), room);
                ChatTestClient byPattern = connect(member("team-*"), room);
                ChatTestClient admin = connect(Tokens.admin(), room)) {
            named.welcome();
            byPattern.welcome();
            admin.welcome();
            named.say("members only");
            assertThat(admin.next("message").getString("text")).isEqualTo("members only");
        }
        // Every other room is open to every valid token.
        try (ChatTestClient outsider = connect(Tokens.chat("outsider"), "open-" + UUID.randomUUID().toString().substring(0, 8))) {
            outsider.welcome();
        }
    }

    @Test
    void aPrivateRoomsHistoryAndPlaceInTheListFollowTheSameRule() {
        String room = teamRoom();
        try (ChatTestClient named = connect(member(room), room)) {
            named.welcome();
            named.say("for the team");
            named.next("ack");
        }
        String path = "/api/rooms/" + room + "/messages";
        given().get(path).then().statusCode(401).contentType("application/problem+json");
        Tokens.with(Tokens.chat("outsider")).get(path).then().statusCode(403).contentType("application/problem+json");
        Tokens.with(member(room)).get(path).then().statusCode(200).body("items[0].text", equalTo("for the team"));
        Tokens.asAdmin().get(path).then().statusCode(200).body("items[0].text", equalTo("for the team"));

        assertThat(rooms(given())).doesNotContain(room);
        assertThat(rooms(Tokens.with(Tokens.chat("outsider")))).doesNotContain(room);
        assertThat(rooms(Tokens.with(member("team-*")))).contains(room);
        assertThat(rooms(Tokens.asAdmin())).contains(room);
    }

    private static List<String> rooms(RequestSpecification caller) {
        return caller.queryParam("limit", 1000).get("/api/rooms").then().statusCode(200).extract().jsonPath().getList("room");
    }
}
