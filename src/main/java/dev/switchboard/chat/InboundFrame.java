package dev.switchboard.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A client's text frame, read: either the message text, or the error code and detail to answer it with.
 * JSON {@code {"type":"message","text":"..."}} and plain text are both accepted; a frame that is not a
 * JSON object with a {@code type} is the text itself.
 */
record InboundFrame(String text, String errorCode, String detail) {

    static InboundFrame parse(String frame, ObjectMapper json, int maxTextLength) {
        String text = frame;
        if (frame.stripLeading().startsWith("{")) {
            JsonNode node = null;
            try {
                node = json.readTree(frame);
            } catch (JsonProcessingException e) {
                // Not JSON: the frame is the text.
            }
            if (node != null && node.isObject() && node.has("type")) {
                JsonNode textNode = node.get("text");
                if (!"message".equals(node.get("type").asText()) || textNode == null || !textNode.isTextual()) {
                    return refused("invalid-type", "send {\"type\":\"message\",\"text\":\"...\"} or plain text");
                }
                text = textNode.asText();
            }
        }
        if (text.isBlank()) {
            return refused("empty", "the message text is empty");
        }
        int length = text.codePointCount(0, text.length());
        if (length > maxTextLength) {
            return refused("too-long", "the message text has " + length + " characters; the limit is " + maxTextLength);
        }
        return new InboundFrame(text, null, null);
    }

    private static InboundFrame refused(String code, String detail) {
        return new InboundFrame(null, code, detail);
    }

    boolean accepted() {
        return errorCode == null;
    }
}
