package dev.switchboard.chat;

import java.util.List;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * Brings members and rooms up to date from the messages table, so delivery is exact: each room
 * remembers the last id it delivered here ({@code cursor}) and each member the last id it was sent
 * ({@code delivered}); ids are per room and gap-free, so "after id N" misses nothing. A message thus
 * reaches a member at most once and in order, whether it comes from this replica's insert, another
 * replica's notification or a replay. Chat loop only.
 */
final class Catchup {

    private static final Logger LOG = Logger.getLogger(Catchup.class);
    private static final int REPLAY_BATCH = 500;
    /** Most messages read at once to fill a new member's gap between its history and the room's cursor. */
    private static final int GAP_BATCH = 10_000;

    private final ChatConfig config;
    private final RoomRegistry registry;
    private final MessageRepository messages;
    private final Delivery delivery;
    private final FrameEncoder encoder;
    private final PresenceTracker presenceTracker;
    private final ChatLoop loop;

    Catchup(ChatConfig config, RoomRegistry registry, MessageRepository messages, Delivery delivery, FrameEncoder encoder,
            PresenceTracker presenceTracker, ChatLoop loop) {
        this.config = config;
        this.registry = registry;
        this.presenceTracker = presenceTracker;
        this.messages = messages;
        this.delivery = delivery;
        this.encoder = encoder;
        this.loop = loop;
    }

    record History(MessageRepository.Recent recent, boolean epochChanged) {
    }

    /**
     * A new client's recent history, or what a reconnecting one missed; when its {@code since} belongs to
     * another epoch of the room (reset since), its ids mean nothing now: it gets the recent history, told so.
     */
    Uni<History> history(Handshake handshake) {
        if (!handshake.recovering()) {
            return messages.recent(handshake.room(), 0, config.historySize()).map(recent -> new History(recent, false));
        }
        return messages.recent(handshake.room(), handshake.since(), config.recoveryLimit()).flatMap(recent ->
                handshake.epoch() == null || handshake.epoch().equals(recent.epoch())
                        ? Uni.createFrom().item(new History(recent, false))
                        : messages.recent(handshake.room(), 0, config.historySize()).map(fresh -> new History(fresh, true)));
    }

    /**
     * The member's first frame: its history and who is here. The frame is encoded by the connection's
     * own event loop when it is written, so a large history never holds up the chat loop.
     */
    void welcome(Room room, Member member, MessageRepository.Recent recent, boolean epochChanged, List<ChatUser> presence) {
        if (member.closing || !room.members.contains(member)) {
            return;
        }
        ChatFrames.Welcome welcome = new ChatFrames.Welcome(member.room, member.user.name(), member.user.user(), recent.epoch(), epochChanged,
                presenceTracker.forWelcome(room, presence), recent.messages(), recent.truncated());
        delivery.send(member, Frame.encodedLater(() -> encoder.bytes(welcome)));
        member.delivered = recent.lastId();
        if (room.cursor < 0) {
            room.cursor = recent.lastId();
        }
        settle(room, member);
        if (recent.lastId() > room.cursor || room.dirty) {
            room.dirty = false;
            replay(room);
        }
    }

    /** Brings a welcomed member up to the room's cursor, then lets broadcasts reach it directly. */
    private void settle(Room room, Member member) {
        if (member.delivered < room.cursor) {
            // Its history was read in an older snapshot than what the room already delivered: fill the gap.
            int gap = (int) Math.min(room.cursor - member.delivered, GAP_BATCH);
            messages.after(member.room, member.delivered, gap).emitOn(loop).subscribe().with(missed -> {
                for (MessageRepository.Stored stored : missed) {
                    ChatMessage message = stored.message();
                    if (message.id() > member.delivered) {
                        member.delivered = message.id();
                        if (!member.id.equals(stored.connection())) {
                            delivery.send(member, encoder.encode(message));
                        }
                    }
                }
                settle(room, member);
            }, failure -> Delivery.close(member, 1011, "chat storage unavailable, try again"));
            return;
        }
        member.ready = true;
        member.lastSeen = System.nanoTime(); // the heartbeat judges its silence from here (Heartbeat)
        List<Frame> held = member.held;
        member.held = null;
        if (held != null) {
            held.forEach(frame -> delivery.send(member, frame));
        }
        List<Outgoing> early = member.early;
        member.early = null;
        if (early != null) {
            early.forEach(outgoing -> delivery.deliver(member, outgoing));
        }
    }

    /** Reads the room's messages after its cursor from the table and delivers them in order. */
    void replay(Room room) {
        if (room.members.isEmpty() || !registry.isCurrent(room)) {
            return;
        }
        if (room.cursor < 0) {
            room.dirty = true; // the first welcome sets the cursor, then replays
            return;
        }
        if (room.replaying) {
            room.again = true;
            return;
        }
        room.replaying = true;
        messages.after(room.name, room.cursor, REPLAY_BATCH).emitOn(loop).subscribe().with(found -> {
            room.replaying = false;
            for (MessageRepository.Stored stored : found) {
                ChatMessage message = stored.message();
                if (message.id() == room.cursor + 1) {
                    delivery.broadcast(room, new Outgoing(message, encoder.encode(message),
                            registry.member(stored.connection())));
                    room.cursor = message.id();
                }
            }
            if (found.size() == REPLAY_BATCH || room.again) {
                room.again = false;
                replay(room);
            }
        }, failure -> {
            room.replaying = false;
            LOG.warnf("Could not replay messages of %s: %s", room.name, failure.getMessage());
            loop.after(500, () -> replay(room));
        });
    }

    /** Another replica stored messages up to {@code lastId} in the room. */
    void stored(String roomName, long lastId) {
        Room room = registry.get(roomName);
        if (room == null) {
            return;
        }
        if (room.cursor < 0) {
            room.dirty = true;
        } else if (lastId > room.cursor) {
            replay(room);
        }
    }
}
