package dev.switchboard.chat;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

import io.vertx.pgclient.PgException;

/**
 * Stores what members send, a room at a time: what arrives while a room's insert runs waits and goes
 * into its next insert, so a busy room makes few, large inserts. Then acks the senders and broadcasts.
 * What waits is bounded per room, and an insert that the database does not answer in time fails, so
 * a sender always hears back. Chat loop only.
 */
final class MessageWriter {

    private static final Logger LOG = Logger.getLogger(MessageWriter.class);
    /**
     * SQLSTATE classes that blame what was inserted (data exception, integrity constraint, raised by a
     * trigger): the batch is tried again one message at a time, so one bad message fails alone.
     */
    private static final Set<String> CONTENT_FAILURES = Set.of("22", "23", "P0");

    private final ChatConfig config;
    private final MessageRepository messages;
    private final RoomRegistry registry;
    private final Delivery delivery;
    private final Catchup catchup;
    private final FrameEncoder encoder;
    private final ChatMetrics metrics;
    private final ChatLoop loop;
    private final Duration storeTimeout;

    MessageWriter(ChatConfig config, MessageRepository messages, RoomRegistry registry, Delivery delivery,
            Catchup catchup, FrameEncoder encoder, ChatMetrics metrics, ChatLoop loop, Duration storeTimeout) {
        this.config = config;
        this.messages = messages;
        this.registry = registry;
        this.delivery = delivery;
        this.catchup = catchup;
        this.encoder = encoder;
        this.metrics = metrics;
        this.loop = loop;
        this.storeTimeout = storeTimeout;
    }

    void accept(Member member, String text, String ref, long receivedAt) {
        Room room = registry.get(member.room);
        if (room == null || !room.members.contains(member)) {
            return;
        }
        if (room.unstored.size() >= config.maxUnstoredPerRoom()) {
            refuse(member, ref, "unavailable", "not sent: " + room.unstored.size()
                    + " messages of this room are waiting for the database; try again shortly");
            return;
        }
        room.unstored.add(new Room.Pending(member, text, ref, receivedAt));
        if (!room.writing) {
            write(room);
        }
    }

    /** True while some room has messages not yet stored (or being stored). */
    boolean busy() {
        return registry.rooms().stream().anyMatch(room -> room.writing || !room.unstored.isEmpty());
    }

    private void write(Room room) {
        int size = room.singles > 0 ? 1 : Math.min(room.unstored.size(), config.maxBatch());
        Room.Pending[] batch = new Room.Pending[size];
        String[] senders = new String[size];
        String[] senderIds = new String[size];
        String[] texts = new String[size];
        String[] connections = new String[size];
        for (int i = 0; i < size; i++) {
            Room.Pending pending = room.unstored.poll();
            batch[i] = pending;
            senders[i] = pending.member().user.name();
            senderIds[i] = pending.member().user.user();
            texts[i] = pending.text();
            connections[i] = pending.member().id;
        }
        room.writing = true;
        if (room.singles > 0) {
            room.singles--;
        }
        messages.append(room.name, senders, senderIds, texts, connections, config.channel())
                // PostgreSQL's statement_timeout ends a slow insert; this ends one it never answers.
                .ifNoItem().after(storeTimeout).fail()
                .emitOn(loop).subscribe().with(stored -> {
                    room.writing = false;
                    metrics.stored(size);
                    for (int i = 0; i < size; i++) {
                        ChatMessage message = stored.get(i);
                        delivery.sendWhenWelcomed(batch[i].member(), encoder.encode(
                                new ChatFrames.Ack(message.id(), message.room(), message.at(), batch[i].ref())));
                    }
                    publish(room, stored, batch);
                    afterWrite(room);
                }, failure -> {
                    room.writing = false;
                    failed(room, batch, failure);
                    afterWrite(room);
                });
    }

    private void failed(Room room, Room.Pending[] batch, Throwable failure) {
        String sqlState = failure instanceof PgException pg && pg.getSqlState() != null ? pg.getSqlState() : "";
        boolean content = sqlState.length() == 5 && CONTENT_FAILURES.contains(sqlState.substring(0, 2));
        if (content && batch.length > 1) {
            // The insert was refused and rolled back as a whole: store its messages one by one, in order.
            for (int i = batch.length - 1; i >= 0; i--) {
                room.unstored.addFirst(batch[i]);
            }
            room.singles += batch.length;
            return;
        }
        if (content) {
            LOG.infof("Message refused by the database in %s: %s", room.name, failure.getMessage());
            String code = sqlState.startsWith("22") ? "invalid-text" : "rejected";
            refuse(batch[0].member(), batch[0].ref(), code, "not stored: the database refused this message ("
                    + ((PgException) failure).getErrorMessage() + ")");
            return;
        }
        LOG.warnf("Could not store %d message(s) in %s: %s", batch.length, room.name, failure.toString());
        // A refused statement (a timeout, say) rolled back; otherwise it may have committed with only its
        // reply lost, and the client should check before resending.
        String detail = failure instanceof PgException
                ? "not stored: the database did not complete it in time (" + sqlState + "); try again shortly"
                : "the message may not have been stored; reconnect with since= to see whether it was before "
                        + "sending it again";
        for (Room.Pending pending : batch) {
            refuse(pending.member(), pending.ref(), "unavailable", detail);
        }
    }

    private void refuse(Member member, String ref, String code, String detail) {
        metrics.rejected(code);
        delivery.sendWhenWelcomed(member, encoder.encode(new ChatFrames.Error(code, detail, ref)));
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
