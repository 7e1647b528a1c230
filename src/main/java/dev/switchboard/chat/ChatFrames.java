package dev.switchboard.chat;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Frames the server sends; each serialises with its {@code type} first. */
final class ChatFrames {

    private ChatFrames() {
    }

    @JsonPropertyOrder({ "type", "room", "name", "presence", "history", "truncated" })
    record Welcome(String type, String room, String name, List<String> presence, List<ChatMessage> history,
            boolean truncated) {
        Welcome(String room, String name, List<String> presence, List<ChatMessage> history, boolean truncated) {
            this("welcome", room, name, presence, history, truncated);
        }
    }

    @JsonPropertyOrder({ "type", "id", "room", "at" })
    record Ack(String type, long id, String room, Instant at) {
        Ack(long id, String room, Instant at) {
            this("ack", id, room, at);
        }
    }

    /** {@code join} or {@code leave}. */
    @JsonPropertyOrder({ "type", "room", "name" })
    record Presence(String type, String room, String name) {
    }

    @JsonPropertyOrder({ "type", "code", "detail" })
    record Error(String type, String code, String detail) {
        Error(String code, String detail) {
            this("error", code, detail);
        }
    }
}
