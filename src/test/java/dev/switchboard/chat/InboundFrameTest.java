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
        assertThat(parse("{\"type\":\"message\",\"text\":\"hi\"}")).isEqualTo(new InboundFrame("hi", null, null));
        assertThat(parse("hello")).isEqualTo(new InboundFrame("hello", null, null));
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
}
