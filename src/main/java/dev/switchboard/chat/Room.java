package dev.switchboard.chat;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** One room on this replica. Owned by the chat loop of {@link ChatService}, so it needs no locks. */
final class Room {
    final String name;
    final Set<Member> members = new LinkedHashSet<>();
    final ArrayDeque<Pending> outbox = new ArrayDeque<>();
    long cursor = -1;
    boolean writing;
    boolean replaying;
    boolean again;
    boolean dirty;
    /** Names (with how many connections each) this replica last told the room were present; null before any welcome. */
    Map<String, Integer> presence;

    Room(String name) {
        this.name = name;
    }

    void counted(String name, int delta) {
        if (presence != null) {
            int count = presence.getOrDefault(name, 0) + delta;
            if (count > 0) {
                presence.put(name, count);
            } else {
                presence.remove(name);
            }
        }
    }
}
