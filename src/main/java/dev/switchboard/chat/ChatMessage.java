package dev.switchboard.chat;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A stored chat message; also its wire form, with {@code "type":"message"}. {@code from} is the sender's display
 * name and {@code user} its token's subject (empty for messages stored before the chat had identity).
 */
@RegisterForReflection
@JsonPropertyOrder({ "type", "id", "room", "from", "user", "text", "at" })
@Schema(requiredProperties = { "type", "id", "room", "from", "user", "text", "at" })
public record ChatMessage(long id, String room, String from, String user, String text, Instant at) implements ChatFrame {

    @JsonProperty("type")
    public String type() {
        return "message";
    }
}
