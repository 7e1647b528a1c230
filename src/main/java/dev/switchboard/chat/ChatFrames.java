package dev.switchboard.chat;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Frames the server sends; each serialises with its {@code type} first. */
final class ChatFrames {

    private ChatFrames() {
    }

    /**
     * The first frame. {@code name} and {@code user} are the connection's own, from its token. {@code epoch} names
     * this incarnation of the room's ids; {@code epochChanged} says the client's {@code since} belonged to another
     * one (the room was reset), so it got the recent history instead.
     */
    @RegisterForReflection
    @JsonPropertyOrder({ "type", "room", "name", "user", "epoch", "epochChanged", "presence", "history", "truncated" })
    record Welcome(String type, String room, String name, String user, String epoch,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean epochChanged, List<ChatUser> presence,
            List<ChatMessage> history, boolean truncated) implements ChatFrame {
        Welcome(String room, String name, String user, String epoch, boolean epochChanged, List<ChatUser> presence,
                List<ChatMessage> history, boolean truncated) {
            this("welcome", room, name, user, epoch, epochChanged, presence, history, truncated);
        }
    }

    /** The sender's message is stored with this id; {@code ref} is the client's, when it gave one. */
    @RegisterForReflection
    @JsonPropertyOrder({ "type", "id", "room", "at", "ref" })
    record Ack(String type, long id, String room, Instant at, @JsonInclude(JsonInclude.Include.NON_NULL) String ref) implements ChatFrame {
        Ack(long id, String room, Instant at, String ref) {
            this("ack", id, room, at, ref);
        }
    }

    /** {@code join} (a user's first connection to the room) or {@code leave} (its last one closed). */
    @RegisterForReflection
    @JsonPropertyOrder({ "type", "room", "name", "user" })
    record Presence(String type, String room, String name, String user) implements ChatFrame {
    }

    /** A message (the one with {@code ref}, when the client gave one) was not sent, or a frame was refused. */
    @RegisterForReflection
    @JsonPropertyOrder({ "type", "code", "detail", "ref" })
    record Error(String type, String code, String detail, @JsonInclude(JsonInclude.Include.NON_NULL) String ref) implements ChatFrame {
        Error(String code, String detail, String ref) {
            this("error", code, detail, ref);
        }
    }
}
