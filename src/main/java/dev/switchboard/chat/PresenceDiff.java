package dev.switchboard.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Users with connection counts, and the joins and leaves that turn what a room was told into what is true:
 * a user is present while it holds at least one connection, and is listed and announced once.
 */
final class PresenceDiff {

    /** One presence frame to send: {@code join} or {@code leave} of a user. */
    record Change(String type, ChatUser user) {
    }

    private PresenceDiff() {
    }

    /** Connections per user, from one entry per connection. */
    static Map<ChatUser, Integer> count(List<ChatUser> connections) {
        Map<ChatUser, Integer> counts = new HashMap<>();
        connections.forEach(user -> counts.merge(user, 1, Integer::sum));
        return counts;
    }

    /**
     * The users of {@code counts}, each once, in the order of {@code ordered} where it has them: a welcome lists
     * what the room was told (so later presence frames follow on from it), earliest first as the table says,
     * then users that joined since the table was read.
     */
    static List<ChatUser> inOrder(List<ChatUser> ordered, Map<ChatUser, Integer> counts) {
        Set<ChatUser> users = new LinkedHashSet<>();
        ordered.stream().filter(counts::containsKey).forEach(users::add);
        users.addAll(counts.keySet());
        return new ArrayList<>(users);
    }

    /** What a room that was told {@code told} must hear to know {@code now}: a frame per user that came or went. */
    static List<Change> changes(Map<ChatUser, Integer> told, Map<ChatUser, Integer> now) {
        List<Change> changes = new ArrayList<>();
        now.keySet().stream().filter(user -> !told.containsKey(user)).forEach(user -> changes.add(new Change("join", user)));
        told.keySet().stream().filter(user -> !now.containsKey(user)).forEach(user -> changes.add(new Change("leave", user)));
        return changes;
    }
}
