package dev.switchboard.chat;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Serialises protocol records to UTF-8 JSON once, for every recipient of a frame. */
@ApplicationScoped
class FrameEncoder {

    private final ObjectMapper json;

    FrameEncoder(ObjectMapper json) {
        this.json = json;
    }

    Frame encode(ChatFrame payload) {
        return Frame.of(bytes(payload));
    }

    byte[] bytes(ChatFrame payload) {
        try {
            return json.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode a chat frame", e);
        }
    }
}
