package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class InboundFrameTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static InboundFrame parse(String frame) {
        return InboundFrame.parse(frame, JSON, 12);
    }

    @Test
    void jsonMessagesAndPlainTextAreBothText() {
        assertThat(parse("{\"type\":\"message\",\"text\":\"hi\"}")).isEqualTo(new InboundFrame("hi", null, null, null));
        assertThat(parse("hello")).isEqualTo(new InboundFrame("hello", null, null, null));
        assertThat(parse("{not json").text()).isEqualTo("{not json");
        assertThat(parse("{\"a\":1}").text()).as("an object without type is text").isEqualTo("{\"a\":1}");
    }

    @Test
    void refusalsSayWhy() {
        assertThat(parse("{\"type\":\"ping\",\"text\":\"x\"}").errorCode()).isEqualTo("invalid-type");
        assertThat(parse("{\"type\":\"message\",\"text\":7}").errorCode()).isEqualTo("invalid-type");
        assertThat(parse("   ").errorCode()).isEqualTo("empty");
        assertThat(parse("far too long!").errorCode()).isEqualTo("too-long");
        assertThat(parse("far too long!").detail()).contains("13 characters").contains("limit is 12");
        assertThat(parse("\uD83D\uDE00".repeat(12)).accepted()).as("twelve code points, 24 chars").isTrue();
    }

    @Test
    void textPostgresCannotStoreIsRefused() {
        InboundFrame nul = parse("{\"type\":\"message\",\"text\":\"a\\u0000b\",\"ref\":\"r1\"}");
        assertThat(nul.errorCode()).isEqualTo("invalid-text");
        assertThat(nul.detail()).contains("U+0000").contains("index 1");
        assertThat(nul.ref()).as("the error answers the ref").isEqualTo("r1");
        assertThat(parse("{\"type\":\"message\",\"text\":\"x\\ud800y\"}").errorCode()).isEqualTo("invalid-text");
        assertThat(parse("lone \uDC00").errorCode()).as("plain text too").isEqualTo("invalid-text");
        assertThat(parse("{\"type\":\"message\",\"text\":\"ok \\ud83d\\ude00\"}").accepted()).as("a pair is fine").isTrue();
    }

    @Test
    void refsAreKeptAndChecked() {
        assertThat(parse("{\"type\":\"message\",\"text\":\"hi\",\"ref\":\"abc-1\"}"))
                .isEqualTo(new InboundFrame("hi", "abc-1", null, null));
        assertThat(parse("{\"type\":\"message\",\"text\":\"   \",\"ref\":\"r2\"}").ref()).isEqualTo("r2");
        assertThat(parse("{\"type\":\"message\",\"text\":\"hi\",\"ref\":\"\"}").errorCode()).isEqualTo("invalid-ref");
        assertThat(parse("{\"type\":\"message\",\"text\":\"hi\",\"ref\":\"" + "x".repeat(65) + "\"}").errorCode())
                .isEqualTo("invalid-ref");
        assertThat(parse("{\"type\":\"message\",\"text\":\"hi\",\"ref\":\"" + "x".repeat(64) + "\"}").accepted()).isTrue();
        assertThat(parse("{\"type\":\"message\",\"text\":\"hi\",\"ref\":7}").errorCode()).isEqualTo("invalid-ref");
    }
}
