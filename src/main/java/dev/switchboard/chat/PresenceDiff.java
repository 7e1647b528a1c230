package dev.switchboard.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Names with connection counts, and the joins and leaves that turn one such count into another. */
final class PresenceDiff {

    /** One presence frame to send: {@code join} or {@code leave} of a name. */
    record Change(String type, String name) {
    }

    private PresenceDiff() {
    }

    static Map<String, Integer> count(List<String> names) {
        Map<String, Integer> counts = new HashMap<>();
        names.forEach(name -> counts.merge(name, 1, Integer::sum));
        return counts;
    }

    /**
     * The names of {@code counts}, in the order of {@code ordered} where it has them: a welcome lists
     * what the room was told (so later presence frames follow on from it), earliest first as the table
     * says, and names that joined since the table was read last.
     */
    static List<String> inOrder(List<String> ordered, Map<String, Integer> counts) {
        Map<String, Integer> left = new HashMap<>(counts);
        List<String> names = new ArrayList<>();
        for (String name : ordered) {
            int count = left.getOrDefault(name, 0);
            if (count > 0) {
                names.add(name);
                left.put(name, count - 1);
            }
        }
        left.forEach((name, count) -> {
            for (int i = 0; i < count; i++) {
                names.add(name);
            }
        });
        return names;
    }

    /** What a room that was told {@code told} must hear to know {@code now}: one frame per connection. */
    static List<Change> changes(Map<String, Integer> told, Map<String, Integer> now) {
        List<Change> changes = new ArrayList<>();
        now.forEach((name, count) -> {
            for (int i = told.getOrDefault(name, 0); i < count; i++) {
                changes.add(new Change("join", name));
            }
        });
        told.forEach((name, count) -> {
            for (int i = now.getOrDefault(name, 0); i < count; i++) {
                changes.add(new Change("leave", name));
            }
        });
        return changes;
    }
}
