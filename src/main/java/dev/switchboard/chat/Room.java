package dev.switchboard.chat;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** One room's state on this replica. Chat loop only. */
final class Room {

    /** A message accepted from a member here, waiting for the room's next insert. */
    record Pending(Member member, String text, String ref, long receivedAt) {
    }

    final String name;
    final Set<Member> members = new LinkedHashSet<>();
    /** Accepted messages waiting to be stored (the writer stores one batch at a time per room). */
    final ArrayDeque<Pending> unstored = new ArrayDeque<>();
    boolean writing;
    /** Messages to store one per insert: a batch with them failed on one message's content. */
    int singles;
    /** The last message id delivered to this room here; -1 until the first welcome reads it. */
    long cursor = -1;
    boolean replaying;
    /** Another replay was asked for while one ran. */
    boolean again;
    /** Messages were announced before the cursor was known: replay once it is. */
    boolean dirty;
    /** Users (with connection counts) this replica last told the room were present; null before any welcome. */
    Map<ChatUser, Integer> presence;
    /** A join or leave came before the first welcome, so it may be missing from that welcome's snapshot. */
    boolean presenceMissed;

    Room(String name) {
        this.name = name;
    }

    boolean idle() {
        return members.isEmpty() && unstored.isEmpty() && !writing;
    }

    /**
     * Counts a connection of {@code user} joining ({@code delta} 1) or leaving (-1); true when that changes
     * whether the user is present, the only change the room is told of (a user is listed once however many
     * connections it holds). Before the first welcome nothing is counted and nothing told.
     */
    boolean counted(ChatUser user, int delta) {
        if (presence == null) {
            presenceMissed = true;
            return false;
        }
        int before = presence.getOrDefault(user, 0);
        int count = before + delta;
        if (count > 0) {
            presence.put(user, count);
        } else {
            presence.remove(user);
        }
        return (before > 0) != (count > 0);
    }
}
