package dev.switchboard.chat;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.quarkus.websockets.next.WebSocketConnection;

/** One connection in a room; each field says which thread may touch it. */
final class Member {
    final WebSocketConnection connection;
    final String id;
    final String room;
    final String name;
    final AtomicInteger outstanding = new AtomicInteger();
    final AtomicBoolean departed = new AtomicBoolean();
    final Consumer<Void> written = x -> outstanding.decrementAndGet();
    final Consumer<Throwable> failed = e -> outstanding.decrementAndGet();
    volatile boolean closing;
    volatile long lastSeen = System.nanoTime();
    // chat loop only
    boolean ready;
    boolean presenceStored;
    boolean left;
    long delivered;
    List<Outgoing> early;
    /** Acks and errors produced before the welcome was sent. */
    List<String> held;
    // the connection's own event loop only
    final RateLimit rate = new RateLimit();

    Member(WebSocketConnection connection, String room, String name) {
        this.connection = connection;
        this.id = connection.id();
        this.room = room;
        this.name = name;
    }
}
