package dev.switchboard.chat;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a client asked for when it connected: room and, when reconnecting, the last id it saw and the room's
 * epoch that id belongs to (null when not given). Who it is comes from its token, never from here: a
 * {@code name} parameter of older clients is ignored.
 */
record Handshake(String room, long since, String epoch) {

    static final Pattern EPOCH = Pattern.compile("[A-Za-z0-9-]{1,64}");

    /** {@code since} of a client that did not send one: it gets the recent history instead. */
    static final long NO_SINCE = -1;

    boolean recovering() {
        return since != NO_SINCE;
    }

    /**
     * Checks the handshake; throws {@link IllegalArgumentException} whose message says what is wrong
     * (sent to the client as the 1008 close reason).
     */
    static Handshake parse(String room, String rawQuery, String origin, String host, List<String> allowedOrigins) {
        Map<String, String> query;
        try {
            query = ChatRules.query(rawQuery);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed query string");
        }
        check(ChatRules.roomProblem(room));
        long since = NO_SINCE;
        if (query.containsKey("since")) {
            since = parseSince(query.get("since"));
        }
        String epoch = query.get("epoch");
        if (epoch != null && !EPOCH.matcher(epoch).matches()) {
            throw new IllegalArgumentException("epoch must be the room's epoch from a welcome (1 to 64 letters, digits or '-')");
        }
        check(ChatRules.originProblem(origin, host, allowedOrigins));
        return new Handshake(room, since, epoch);
    }

    private static long parseSince(String value) {
        try {
            long since = Long.parseLong(value);
            if (since >= 0) {
                return since;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw new IllegalArgumentException("since must be a message id (a whole number, 0 or more)");
    }

    private static void check(String problem) {
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }
}
