package dev.switchboard.chat;

import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

/**
 * Tells rooms who joins and leaves, here and on other replicas, and re-reads a room's presence when
 * notifications may have been missed. Chat loop only.
 */
final class PresenceTracker {

    private static final Logger LOG = Logger.getLogger(PresenceTracker.class);

    private final RoomRegistry registry;
    private final Delivery delivery;
    private final FrameEncoder encoder;
    private final ChatBackplane backplane;
    private final ChatLoop loop;

    PresenceTracker(RoomRegistry registry, Delivery delivery, FrameEncoder encoder, ChatBackplane backplane,
            ChatLoop loop) {
        this.registry = registry;
        this.delivery = delivery;
        this.encoder = encoder;
        this.backplane = backplane;
        this.loop = loop;
    }

    /**
     * A connection of {@code user} joined or left the room: its count changes and, when the user came or went,
     * every welcomed member but {@code except} hears it.
     */
    void changed(Room room, boolean joined, ChatUser user, Member except) {
        if (room.counted(user, joined ? 1 : -1)) {
            announce(room, joined ? "join" : "leave", user, except);
        }
    }

    private void announce(Room room, String type, ChatUser user, Member except) {
        delivery.toRoom(room, encoder.encode(new ChatFrames.Presence(type, room.name, user.name(), user.user())), except);
    }

    /**
     * Who a new member is told is present. Presence changes reach members only once they are welcomed,
     * so the welcome lists what the room has been told up to now (joins and leaves heard while the
     * member's snapshot was read included), in the snapshot's order; every later change follows as a
     * frame. The first welcome of a room starts what it is told from the snapshot, and re-reads it if
     * changes came meanwhile.
     */
    List<ChatUser> forWelcome(Room room, List<ChatUser> snapshot) {
        if (room.presence == null) {
            room.presence = PresenceDiff.count(snapshot);
            if (room.presenceMissed) {
                room.presenceMissed = false;
                resync(room);
            }
            return PresenceDiff.inOrder(snapshot, room.presence);
        }
        return PresenceDiff.inOrder(snapshot, room.presence);
    }

    /**
     * Tells the room's clients the joins and leaves this replica missed: the other replicas' presence is
     * re-read from the table, ours is what is connected here, and the difference from what the room was
     * last told goes out as presence frames.
     */
    void resync(Room room) {
        backplane.presentElsewhere(room.name).emitOn(loop).subscribe().with(elsewhere -> {
            if (!registry.isCurrent(room) || room.presence == null) {
                return; // gone, or not welcomed anyone yet: the first welcome reads the table anyway
            }
            Map<ChatUser, Integer> now = PresenceDiff.count(elsewhere);
            room.members.forEach(member -> now.merge(member.user, 1, Integer::sum));
            Map<ChatUser, Integer> told = room.presence;
            room.presence = now;
            PresenceDiff.changes(told, now).forEach(change -> announce(room, change.type(), change.user(), null));
        }, failure -> LOG.warnf("Could not re-read presence of %s: %s", room.name, failure.getMessage()));
    }
}
