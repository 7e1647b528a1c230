package dev.switchboard.chat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The rooms with someone (or something unstored) in them on this replica, and their members. Chat loop only. */
final class RoomRegistry {

    private final Map<String, Room> rooms = new HashMap<>();
    private final Map<String, Member> members = new HashMap<>();

    Room get(String name) {
        return rooms.get(name);
    }

    /** The room, if it is still the one registered under its name (a room left empty is dropped). */
    boolean isCurrent(Room room) {
        return rooms.get(room.name) == room;
    }

    Room enter(Member member) {
        Room room = rooms.computeIfAbsent(member.room, Room::new);
        room.members.add(member);
        members.put(member.id, member);
        return room;
    }

    /** Takes the member out; returns its room when it was in one. */
    Room leave(Member member) {
        members.remove(member.id);
        Room room = rooms.get(member.room);
        if (room == null || !room.members.remove(member)) {
            return null;
        }
        return room;
    }

    /** Drops the room when nobody is in it and nothing of it waits to be stored. */
    void dropIfIdle(Room room) {
        if (room.idle() && isCurrent(room)) {
            rooms.remove(room.name);
        }
    }

    /** The member here with this connection id, if any. */
    Member member(String connection) {
        return connection == null ? null : members.get(connection);
    }

    Collection<Member> members() {
        return members.values();
    }

    List<Room> rooms() {
        return new ArrayList<>(rooms.values());
    }
}
