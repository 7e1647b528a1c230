package dev.switchboard.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

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
                SELECT t.sender, t.body, t.n FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(sender, body, n)),
            seq AS (
                INSERT INTO chat_rooms AS r (room, last_id) VALUES ($1, (SELECT count(*) FROM input))
                ON CONFLICT (room) DO UPDATE SET last_id = r.last_id + EXCLUDED.last_id
                RETURNING r.last_id),
            ins AS (
                INSERT INTO chat_messages (room, id, sender, body)
                SELECT $1, seq.last_id - (SELECT count(*) FROM input) + input.n, input.sender, input.body
                FROM input, seq
                RETURNING id, sender, body, sent_at),
            note AS (SELECT pg_notify($4, 'm ' || max(id) || ' ' || $1) AS sent FROM ins)
            SELECT ins.id, ins.sender, ins.body, ins.sent_at FROM ins, note ORDER BY ins.id""";

    /** The room's last id and, in the same snapshot, its newest messages after {@code since}. */
    private static final String RECENT = """
            WITH last AS (SELECT coalesce((SELECT last_id FROM chat_rooms WHERE room = $1), 0) AS last_id)
            SELECT last.last_id, m.id, m.sender, m.body, m.sent_at
            FROM last LEFT JOIN LATERAL (
                SELECT id, sender, body, sent_at FROM chat_messages
                WHERE room = $1 AND id > $2 AND id <= last.last_id
                ORDER BY id DESC LIMIT $3) m ON true
            ORDER BY m.id""";

    private static final String AFTER = """
            SELECT id, sender, body, sent_at FROM chat_messages
            WHERE room = $1 AND id > $2 ORDER BY id LIMIT $3""";

    private static final String BEFORE = """
            SELECT id, sender, body, sent_at FROM chat_messages
            WHERE room = $1 AND id < $2 ORDER BY id DESC LIMIT $3""";

    private static final String ROOMS = """
            SELECT coalesce(r.room, o.room) AS room, coalesce(o.online, 0) AS online, coalesce(r.last_id, 0) AS last_id
            FROM chat_rooms r FULL JOIN (
                SELECT p.room, count(*) AS online FROM chat_presence p JOIN chat_replicas x ON x.id = p.replica
                WHERE x.seen_at > now() - make_interval(secs => $1) GROUP BY p.room) o ON o.room = r.room
            ORDER BY online DESC, room LIMIT $2""";

    /** What a joining client gets: history (oldest first), the room's last id, and whether older ones were left out. */
    public record Recent(List<ChatMessage> messages, long lastId, boolean truncated) {
    }

    public record RoomSummary(String room, long online, long lastMessageId) {
    }

    private final Pool pool;

    MessageRepository(Pool pool) {
        this.pool = pool;
    }

    /** Stores the messages (same order as given) and returns them with their ids. */
    public Uni<List<ChatMessage>> append(String room, String[] senders, String[] texts, String channel) {
        return pool.preparedQuery(APPEND)
                .execute(Tuple.of(room, senders, texts, channel))
                .map(rows -> messages(room, rows, false));
    }

    /** Up to {@code limit} newest messages after {@code since}, oldest first. */
    public Uni<Recent> recent(String room, long since, int limit) {
        return pool.preparedQuery(RECENT)
                .execute(Tuple.of(room, since, limit + 1))
                .map(rows -> {
                    long lastId = 0;
                    List<ChatMessage> messages = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        lastId = row.getLong("last_id");
                        if (row.getValue("id") != null) {
                            messages.add(message(room, row));
                        }
                    }
                    boolean truncated = messages.size() > limit;
                    return new Recent(truncated ? List.copyOf(messages.subList(1, messages.size())) : messages,
                            lastId, truncated);
                });
    }

    /** Messages after {@code after}, oldest first. */
    public Uni<List<ChatMessage>> after(String room, long after, int limit) {
        return pool.preparedQuery(AFTER)
                .execute(Tuple.of(room, after, limit))
                .map(rows -> messages(room, rows, false));
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
        return new ChatMessage(row.getLong("id"), room, row.getString("sender"), row.getString("body"),
                row.getOffsetDateTime("sent_at").toInstant());
    }
}
