package dev.switchboard.chat;

import java.util.List;

import org.jboss.logging.Logger;

/**
 * Stores what members send, a room at a time: what arrives while a room's insert runs waits and goes
 * into its next insert, so a busy room makes few, large inserts. Then acks the senders and broadcasts.
 * Chat loop only.
 */
final class MessageWriter {

    private static final Logger LOG = Logger.getLogger(MessageWriter.class);

    private final ChatConfig config;
    private final MessageRepository messages;
    private final RoomRegistry registry;
    private final Delivery delivery;
    private final Catchup catchup;
    private final FrameEncoder encoder;
    private final ChatMetrics metrics;
    private final ChatLoop loop;

    MessageWriter(ChatConfig config, MessageRepository messages, RoomRegistry registry, Delivery delivery,
            Catchup catchup, FrameEncoder encoder, ChatMetrics metrics, ChatLoop loop) {
        this.config = config;
        this.messages = messages;
        this.registry = registry;
        this.delivery = delivery;
        this.catchup = catchup;
        this.encoder = encoder;
        this.metrics = metrics;
        this.loop = loop;
    }

    void accept(Member member, String text, long receivedAt) {
        Room room = registry.get(member.room);
        if (room == null || !room.members.contains(member)) {
            return;
        }
        room.unstored.add(new Room.Pending(member, text, receivedAt));
        if (!room.writing) {
            write(room);
        }
    }

    /** True while some room has messages not yet stored (or being stored). */
    boolean busy() {
        return registry.rooms().stream().anyMatch(room -> room.writing || !room.unstored.isEmpty());
    }

    private void write(Room room) {
        int size = Math.min(room.unstored.size(), config.maxBatch());
        Room.Pending[] batch = new Room.Pending[size];
        String[] senders = new String[size];
        String[] texts = new String[size];
        String[] connections = new String[size];
        for (int i = 0; i < size; i++) {
            Room.Pending pending = room.unstored.poll();
            batch[i] = pending;
            senders[i] = pending.member().name;
            texts[i] = pending.text();
            connections[i] = pending.member().id;
        }
        room.writing = true;
        messages.append(room.name, senders, texts, connections, config.channel()).emitOn(loop).subscribe().with(stored -> {
            room.writing = false;
            metrics.stored(size);
            for (int i = 0; i < size; i++) {
                ChatMessage message = stored.get(i);
                delivery.sendWhenWelcomed(batch[i].member(),
                        encoder.encode(new ChatFrames.Ack(message.id(), message.room(), message.at())));
            }
            publish(room, stored, batch);
            afterWrite(room);
        }, failure -> {
            room.writing = false;
            LOG.warnf("Could not store %d message(s) in %s: %s", size, room.name, failure.getMessage());
            // The insert may have committed with only its reply lost: the client should check before resending.
            Frame unavailable = encoder.encode(new ChatFrames.Error("unavailable", "the message may not have been "
                    + "stored; reconnect with since= to see whether it was before sending it again"));
            for (Room.Pending pending : batch) {
                metrics.rejected("unavailable");
                delivery.sendWhenWelcomed(pending.member(), unavailable);
            }
            afterWrite(room);
        });
    }

    private void afterWrite(Room room) {
        if (!room.unstored.isEmpty()) {
            write(room);
        } else {
            registry.dropIfIdle(room);
        }
    }

    /**
     * Our own insert: delivered straight away when it follows what the room delivered last; else other
     * messages came first (or a replay already delivered these), and a replay delivers in order.
     */
    private void publish(Room room, List<ChatMessage> stored, Room.Pending[] batch) {
        long now = System.nanoTime();
        if (room.cursor >= 0 && stored.get(0).id() == room.cursor + 1) {
            for (int i = 0; i < stored.size(); i++) {
                ChatMessage message = stored.get(i);
                delivery.broadcast(room, new Outgoing(message, encoder.encode(message), batch[i].member()));
                room.cursor = message.id();
                metrics.broadcast(batch[i].receivedAt(), now);
            }
        } else if (stored.get(stored.size() - 1).id() > room.cursor) {
            catchup.replay(room);
        }
    }
}
