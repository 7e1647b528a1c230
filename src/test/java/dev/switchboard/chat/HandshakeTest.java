package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class HandshakeTest {

    private static Handshake parse(String room, String query) {
        return Handshake.parse(room, query, null, "chat.example", List.of());
    }

    @Test
    void roomAndSinceAreReadAndANameIsIgnored() {
        Handshake handshake = parse("lobby", "name=Ada%20L&since=42");
        assertThat(handshake).isEqualTo(new Handshake("lobby", 42, null));
        assertThat(parse("lobby", "")).isEqualTo(new Handshake("lobby", Handshake.NO_SINCE, null));
        assertThat(handshake.recovering()).isTrue();
        assertThat(parse("lobby", "name=ada").recovering()).isFalse();
        assertThat(parse("lobby", "name=ada&since=3&epoch=5f0c2a9e81d4").epoch()).isEqualTo("5f0c2a9e81d4");
    }

    @Test
    void eachProblemIsNamed() {
        assertThatThrownBy(() -> parse("two words", "name=ada")).hasMessageContaining("invalid room");
        assertThatThrownBy(() -> parse("lobby", "name=ada&since=-1")).hasMessageContaining("since must be");
        assertThatThrownBy(() -> parse("lobby", "name=ada&since=x")).hasMessageContaining("since must be");
        assertThatThrownBy(() -> parse("lobby", "name=%zz")).hasMessage("malformed query string");
        assertThatThrownBy(() -> parse("lobby", "name=ada&since=3&epoch=no%20spaces")).hasMessageContaining("epoch must be");
        assertThatThrownBy(() -> Handshake.parse("lobby", "name=ada", "http://evil.example", "chat.example", List.of()))
                .hasMessageContaining("origin not allowed");
    }
}
