package dev.switchboard.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.platform.StorableText;

/**
 * A client's text frame, read: the message text and the client's {@code ref} for it, or the error code
 * and detail to answer it with (the ref too, when it could be read). JSON
 * {@code {"type":"message","text":"...","ref":"..."}} and plain text are both accepted; a frame that is
 * not a JSON object with a {@code type} is the text itself.
 */
record InboundFrame(String text, String ref, String errorCode, String detail) {

    static final int MAX_REF_LENGTH = 64;

    static InboundFrame parse(String frame, ObjectMapper json, int maxTextLength) {
        String text = frame;
        String ref = null;
        if (frame.stripLeading().startsWith("{")) {
            JsonNode node = null;
            try {
                node = json.readTree(frame);
            } catch (JsonProcessingException e) {
                // Not JSON: the frame is the text.
            }
            if (node != null && node.isObject() && node.has("type")) {
                JsonNode refNode = node.get("ref");
                if (refNode != null && !refNode.isNull()) {
                    String refProblem = refProblem(refNode);
                    if (refProblem != null) {
                        return refused(null, "invalid-ref", refProblem);
                    }
                    ref = refNode.asText();
                }
                JsonNode textNode = node.get("text");
                if (!"message".equals(node.get("type").asText()) || textNode == null || !textNode.isTextual()) {
                    return refused(ref, "invalid-type", "send {\"type\":\"message\",\"text\":\"...\"} or plain text");
                }
                text = textNode.asText();
            }
        }
        if (text.isBlank()) {
            return refused(ref, "empty", "the message text is empty");
        }
        int length = text.codePointCount(0, text.length());
        if (length > maxTextLength) {
            return refused(ref, "too-long", "the message text has " + length + " characters; the limit is " + maxTextLength);
        }
        String unstorable = StorableText.Rule.problem(text);
        if (unstorable != null) {
            return refused(ref, "invalid-text", "the message text " + unstorable + ", which cannot be stored");
        }
        return new InboundFrame(text, ref, null, null);
    }

    private static String refProblem(JsonNode ref) {
        if (!ref.isTextual()) {
            return "ref must be a string of 1 to " + MAX_REF_LENGTH + " characters";
        }
        String value = ref.asText();
        int length = value.codePointCount(0, value.length());
        if (length < 1 || length > MAX_REF_LENGTH) {
            return "ref must be 1 to " + MAX_REF_LENGTH + " characters; it has " + length;
        }
        String unstorable = StorableText.Rule.problem(value);
        return unstorable == null ? null : "ref " + unstorable;
    }

    private static InboundFrame refused(String ref, String code, String detail) {
        return new InboundFrame(null, ref, code, detail);
    }

    boolean accepted() {
        return errorCode == null;
    }
}
