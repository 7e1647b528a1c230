package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The validation rules on their own (the WebSocket tests cover them over the network). */
class ChatRulesTest {

    @Test
    void roomsAreShortNamesOfSafeCharacters() {
        assertThat(ChatRules.roomProblem("lobby")).isNull();
        assertThat(ChatRules.roomProblem("a.b-c_D9")).isNull();
        assertThat(ChatRules.roomProblem("r".repeat(64))).isNull();
        assertThat(ChatRules.roomProblem("r".repeat(65))).contains("invalid room");
        assertThat(ChatRules.roomProblem("two words")).contains("invalid room");
        assertThat(ChatRules.roomProblem("")).contains("invalid room");
    }

    @Test
    void originsAreTheServersOwnTheConfiguredOnesOrNone() {
        assertThat(ChatRules.originProblem(null, "chat.example:8080", List.of())).isNull();
        assertThat(ChatRules.originProblem("http://chat.example:8080", "chat.example:8080", List.of())).isNull();
        assertThat(ChatRules.originProblem("http://evil.example", "chat.example:8080", List.of())).contains("not allowed");
        assertThat(ChatRules.originProblem("https://app.example/", "chat.example", List.of("https://APP.example")))
                .isNull();
        assertThat(ChatRules.originProblem("https://other.example", "chat.example", List.of("https://app.example")))
                .contains("not allowed");
        assertThat(ChatRules.originProblem("https://any.example", "chat.example", List.of("*"))).isNull();
    }

    @Test
    void queryStringsAreDecoded() {
        assertThat(ChatRules.query("name=Ada%20L%C3%B6we&since=12&name=ignored"))
                .containsEntry("name", "Ada Löwe").containsEntry("since", "12").hasSize(2);
        assertThat(ChatRules.query(null)).isEmpty();
        assertThatThrownBy(() -> ChatRules.query("name=%zz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void utf8LengthIsCountedOnlyWhenItCouldMatter() {
        assertThat(ChatRules.utf8Longer("a".repeat(100), 100)).isFalse();
        assertThat(ChatRules.utf8Longer("a".repeat(101), 100)).isTrue();
        assertThat(ChatRules.utf8Longer("é".repeat(50), 100)).isFalse();
        assertThat(ChatRules.utf8Longer("é".repeat(51), 100)).isTrue();
        assertThat(ChatRules.utf8Longer("\uD83D\uDE00".repeat(25), 100)).isFalse();
        assertThat(ChatRules.utf8Longer("\uD83D\uDE00".repeat(25) + "x", 100)).isTrue();
    }
}
