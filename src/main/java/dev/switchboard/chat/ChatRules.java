package dev.switchboard.chat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** What a valid room, origin and frame are; each check answers null or what is wrong. */
final class ChatRules {

    static final Pattern ROOM = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final String ROOM_RULE = "1 to 64 letters, digits, '-', '_' or '.'";

    private ChatRules() {
    }

    static String roomProblem(String room) {
        return room != null && ROOM.matcher(room).matches() ? null : "invalid room: use " + ROOM_RULE;
    }

    /** Browsers send Origin: allow the server's own origin and the configured ones; clients without it are allowed. */
    static String originProblem(String origin, String host, List<String> allowedOrigins) {
        if (origin == null || origin.isBlank()) {
            return null;
        }
        String normalized = normalizeOrigin(origin);
        for (String allowed : allowedOrigins) {
            String a = normalizeOrigin(allowed);
            if (a.equals("*") || a.equals(normalized)) {
                return null;
            }
        }
        try {
            String authority = URI.create(normalized).getRawAuthority();
            if (host != null && authority != null && authority.equalsIgnoreCase(host.strip())) {
                return null;
            }
        } catch (IllegalArgumentException e) {
            // falls through: not allowed
        }
        return "origin not allowed: " + origin;
    }

    private static String normalizeOrigin(String origin) {
        String normalized = origin.strip().toLowerCase(Locale.ROOT);
        return normalized.endsWith("/") ? normalized.substring(0, normalized.length() - 1) : normalized;
    }

    /** The decoded parameters of a raw query string (first value wins); throws on malformed escapes. */
    static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(key, value);
        }
        return values;
    }

    /** True when the UTF-8 form of {@code s} is longer than {@code limit} bytes; counts only when it could be. */
    static boolean utf8Longer(String s, int limit) {
        int chars = s.length();
        if (chars <= limit / 3) {
            return false;
        }
        if (chars > limit) {
            return true;
        }
        long bytes = 0;
        for (int i = 0; i < chars; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes > limit;
    }
}
