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

    /** Someone joined or left the room: its count changes and every welcomed member but {@code except} hears it. */
    void changed(Room room, boolean joined, String name, Member except) {
        room.counted(name, joined ? 1 : -1);
        announce(room, joined ? "join" : "leave", name, except);
    }

    private void announce(Room room, String type, String name, Member except) {
        delivery.toRoom(room, encoder.encode(new ChatFrames.Presence(type, room.name, name)), except);
    }

    /**
     * Who a new member is told is present. Presence changes reach members only once they are welcomed,
     * so the welcome lists what the room has been told up to now (joins and leaves heard while the
     * member's snapshot was read included), in the snapshot's order; every later change follows as a
     * frame. The first welcome of a room starts what it is told from the snapshot, and re-reads it if
     * changes came meanwhile.
     */
    List<String> forWelcome(Room room, List<String> snapshot) {
        if (room.presence == null) {
            room.presence = PresenceDiff.count(snapshot);
            if (room.presenceMissed) {
                room.presenceMissed = false;
                resync(room);
            }
            return snapshot;
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
            Map<String, Integer> now = PresenceDiff.count(elsewhere);
            room.members.forEach(member -> now.merge(member.name, 1, Integer::sum));
            Map<String, Integer> told = room.presence;
            room.presence = now;
            PresenceDiff.changes(told, now).forEach(change -> announce(room, change.type(), change.name(), null));
        }, failure -> LOG.warnf("Could not re-read presence of %s: %s", room.name, failure.getMessage()));
    }
}
