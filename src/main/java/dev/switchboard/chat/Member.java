package dev.switchboard.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.quarkus.websockets.next.WebSocketConnection;

/**
 * One connection in a room: who it is, its outbox and its send allowance. Fields marked "chat loop" are
 * only touched there; the others say which thread may touch them.
 */
final class Member {

    final WebSocketConnection connection;
    /** The connection's id; also stored with the messages it sends, so it is spared their echo. */
    final String id;
    final String room;
    /** Who speaks on it, from the token it was opened with. */
    final ChatUser user;
    /** When that token expires (epoch milliseconds): the connection ends then. */
    final long tokenExpiresAt;
    /** The client's address, as counted by the connection limits. */
    final String address;
    final Outbox outbox;
    /** The connection's own event loop only. */
    final TokenBucket allowance;
    final AtomicBoolean departed = new AtomicBoolean();
    /** How it ends when the server knows before the close (the first cause wins); null: the close tells. */
    final AtomicReference<ConnectionEnding> ending = new AtomicReference<>();
    volatile boolean closing;
    volatile long lastSeen = System.nanoTime();

    // chat loop
    /** Welcomed and caught up: broadcasts reach it directly. */
    boolean ready;
    boolean presenceStored;
    boolean left;
    /** The last message id this connection was sent (or sent itself). */
    long delivered;
    /** Messages broadcast while it was joining, delivered once it is caught up. */
    List<Outgoing> early;
    /** Acks and errors produced before its welcome was sent. */
    List<Frame> held;

    Member(WebSocketConnection connection, Handshake handshake, ChatUser user, long tokenExpiresAt, String address,
            Outbox outbox, TokenBucket allowance) {
        this.connection = connection;
        this.id = connection.id();
        this.room = handshake.room();
        this.user = user;
        this.tokenExpiresAt = tokenExpiresAt;
        this.address = address;
        this.outbox = outbox;
        this.allowance = allowance;
    }

    /** Records why the connection is about to end, unless an earlier cause already did. */
    void endsBy(ConnectionEnding how) {
        ending.compareAndSet(null, how);
    }

    /** Keeps a message broadcast before this member was caught up; false when too many wait already. */
    boolean holdEarly(Outgoing outgoing, int max) {
        if (early == null) {
            early = new ArrayList<>();
        }
        return addBelow(early, outgoing, max);
    }

    /** Keeps an ack or error until the welcome; false when too many wait already. */
    boolean holdUntilWelcomed(Frame frame, int max) {
        if (held == null) {
            held = new ArrayList<>();
        }
        return addBelow(held, frame, max);
    }

    private static <T> boolean addBelow(List<T> list, T item, int max) {
        if (list.size() >= max) {
            return false;
        }
        list.add(item);
        return true;
    }
}
