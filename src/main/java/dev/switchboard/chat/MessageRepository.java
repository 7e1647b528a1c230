package dev.switchboard.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Chat messages in PostgreSQL, over the reactive pool. */
@ApplicationScoped
public class MessageRepository {

    /**
     * Stores a batch of one room's messages and announces them, in one statement: the room row is
     * locked while ids are taken (so one room's inserts commit in id order, without gaps) and the
     * notification {@code "m <last id> <room>"} is sent when the statement commits.
     */
    private static final String APPEND = """
            WITH input AS (
                SELECT t.sender, t.sender_id, t.body, t.connection, t.n
                FROM unnest($2::text[], $6::text[], $3::text[], $5::text[]) WITH ORDINALITY AS t(sender, sender_id, body, connection, n)),
            seq AS (
                INSERT INTO chat_rooms AS r (room, last_id) VALUES ($1, (SELECT count(*) FROM input))
                ON CONFLICT (room) DO UPDATE SET last_id = r.last_id + EXCLUDED.last_id
                RETURNING r.last_id),
            ins AS (
                INSERT INTO chat_messages (room, id, sender, sender_id, body, connection)
                SELECT $1, seq.last_id - (SELECT count(*) FROM input) + input.n, input.sender, input.sender_id, input.body,
                       input.connection
                FROM input, seq
                RETURNING id, sender, sender_id, body, sent_at, connection),
            note AS (SELECT pg_notify($4, 'm ' || max(id) || ' ' || $1) AS sent FROM ins)
            SELECT ins.id, ins.sender, ins.sender_id, ins.body, ins.sent_at, ins.connection FROM ins, note ORDER BY ins.id""";

    /**
     * The room's row (created here, with its epoch, when the room is new) and, in the same snapshot, its
     * newest messages after {@code since}.
     */
    private static final String RECENT = """
            WITH made AS (
                INSERT INTO chat_rooms (room, last_id) VALUES ($1, 0) ON CONFLICT (room) DO NOTHING
                RETURNING last_id, first_id, epoch),
            r AS (SELECT last_id, first_id, epoch FROM made
                  UNION ALL SELECT last_id, first_id, epoch FROM chat_rooms WHERE room = $1)
            SELECT r.last_id, r.first_id, r.epoch, m.id, m.sender, m.sender_id, m.body, m.sent_at
            FROM r LEFT JOIN LATERAL (
                SELECT id, sender, sender_id, body, sent_at FROM chat_messages
                WHERE room = $1 AND id > $2 AND id <= r.last_id
                ORDER BY id DESC LIMIT $3) m ON true
            ORDER BY m.id""";

    private static final String AFTER = """
            SELECT id, sender, sender_id, body, sent_at, connection FROM chat_messages
            WHERE room = $1 AND id > $2 ORDER BY id LIMIT $3""";

    private static final String BEFORE = """
            SELECT id, sender, sender_id, body, sent_at FROM chat_messages
            WHERE room = $1 AND id < $2 ORDER BY id DESC LIMIT $3""";

    private static final String ROOMS = """
            SELECT coalesce(r.room, o.room) AS room, coalesce(o.online, 0) AS online, coalesce(r.last_id, 0) AS last_id
            FROM chat_rooms r FULL JOIN (
                SELECT p.room, count(*) AS online FROM chat_presence p JOIN chat_replicas x ON x.id = p.replica
                WHERE x.seen_at > now() - make_interval(secs => $1) GROUP BY p.room) o ON o.room = r.room
            ORDER BY online DESC, room LIMIT $2""";

    /**
     * What a joining client gets: history (oldest first), the room's last id and epoch, and whether older
     * ones were left out (more than the limit, or deleted by retention).
     */
    public record Recent(List<ChatMessage> messages, long lastId, String epoch, boolean truncated) {
    }

    @RegisterForReflection
    @Schema(requiredProperties = { "room", "online", "lastMessageId" })
    public record RoomSummary(String room, long online, long lastMessageId) {
    }

    private final Pool pool;

    MessageRepository(Pool pool) {
        this.pool = pool;
    }

    /** A stored message and the connection that sent it (null when it did not come over a WebSocket). */
    public record Stored(ChatMessage message, String connection) {
    }

    /** Stores the messages (same order as given: senders' names and users, texts, connections) and returns them with their ids. */
    public Uni<List<ChatMessage>> append(String room, String[] senders, String[] senderIds, String[] texts,
            String[] connections, String channel) {
        return pool.preparedQuery(APPEND)
                .execute(Tuple.from(new Object[] { room, senders, texts, channel, connections, senderIds }))
                .map(rows -> messages(room, rows, false));
    }

    /** Up to {@code limit} newest messages after {@code since}, oldest first. */
    public Uni<Recent> recent(String room, long since, int limit) {
        return pool.preparedQuery(RECENT)
                .execute(Tuple.of(room, since, limit + 1))
                .flatMap(rows -> rows.size() > 0 ? Uni.createFrom().item(recent(room, since, limit, rows))
                        // The room's row was created by a transaction that committed after this statement
                        // began, so it saw neither its own insert nor the row: read again.
                        : pool.preparedQuery(RECENT).execute(Tuple.of(room, since, limit + 1))
                                .map(again -> recent(room, since, limit, again)));
    }

    private static Recent recent(String room, long since, int limit, RowSet<Row> rows) {
        long lastId = 0;
        long firstId = 1;
        String epoch = null;
        List<ChatMessage> messages = new ArrayList<>(rows.size());
        for (Row row : rows) {
            lastId = row.getLong("last_id");
            firstId = row.getLong("first_id");
            epoch = row.getString("epoch");
            if (row.getValue("id") != null) {
                messages.add(message(room, row));
            }
        }
        boolean truncated = messages.size() > limit || since + 1 < Math.min(firstId, lastId + 1);
        return new Recent(messages.size() > limit ? List.copyOf(messages.subList(1, messages.size())) : messages,
                lastId, epoch, truncated);
    }

    /** Messages after {@code after}, oldest first, with their senders' connections. */
    public Uni<List<Stored>> after(String room, long after, int limit) {
        return pool.preparedQuery(AFTER)
                .execute(Tuple.of(room, after, limit))
                .map(rows -> {
                    List<Stored> stored = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        stored.add(new Stored(message(room, row), row.getString("connection")));
                    }
                    return stored;
                });
    }

    /** Up to {@code limit} messages before {@code before} (newest first as read, returned oldest first). */
    public Uni<List<ChatMessage>> before(String room, long before, int limit) {
        return pool.preparedQuery(BEFORE)
                .execute(Tuple.of(room, before, limit))
                .map(rows -> messages(room, rows, true));
    }

    public Uni<List<RoomSummary>> rooms(Duration replicaTimeout, int limit) {
        return pool.preparedQuery(ROOMS)
                .execute(Tuple.of(replicaTimeout.toMillis() / 1000.0, limit))
                .map(rows -> {
                    List<RoomSummary> rooms = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        rooms.add(new RoomSummary(row.getString("room"), row.getLong("online"), row.getLong("last_id")));
                    }
                    return rooms;
                });
    }

    private static List<ChatMessage> messages(String room, RowSet<Row> rows, boolean reverse) {
        List<ChatMessage> messages = new ArrayList<>(rows.size());
        for (Row row : rows) {
            messages.add(message(room, row));
        }
        if (reverse) {
            java.util.Collections.reverse(messages);
        }
        return messages;
    }

    private static ChatMessage message(String room, Row row) {
        return new ChatMessage(row.getLong("id"), room, row.getString("sender"), row.getString("sender_id"), row.getString("body"),
                row.getOffsetDateTime("sent_at").toInstant());
    }
}
