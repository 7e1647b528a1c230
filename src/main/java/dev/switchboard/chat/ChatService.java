package dev.switchboard.chat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.HandshakeRequest;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * Rooms, presence and limits. All room state lives on one Vert.x event loop (the "chat loop"), so it
 * needs no locks: every entry point hops onto it, and database results are emitted back onto it.
 * Frames are serialised once per broadcast and written to each connection of the room from there.
 *
 * <p>Delivery is exact because message ids are per room and gap-free (see V2__chat.sql): each room
 * remembers the last id it delivered here ({@code cursor}), and each connection the last id it was
 * sent, so a message is sent to a connection at most once and in id order, whether it arrives
 * from this replica's own insert, a notification from another replica, or a replay from the table.
 */
@ApplicationScoped
public class ChatService implements ChatBackplane.Listener {

    private static final Logger LOG = Logger.getLogger(ChatService.class);
    private static final UserData.TypedKey<Member> MEMBER = new UserData.TypedKey<>("switchboard.chat.member");
    private static final int REPLAY_BATCH = 500;
    private static final Buffer PING = Buffer.buffer("switchboard");

    private final ChatConfig config;
    private final MessageRepository messages;
    private final ChatBackplane backplane;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final MeterRegistry registry;

    private final AtomicInteger connections = new AtomicInteger();
    private final Counter messagesIn;
    private final Counter messagesOut;
    private final Counter slowConsumerCloses;
    private final Timer broadcastLatency;
    /** Who is connected here, for re-registering presence; read off the chat loop by the heartbeat. */
    private final Map<String, ChatBackplane.Presence> present = new ConcurrentHashMap<>();

    // Owned by the chat loop.
    private Context context;
    private volatile Thread loopThread;
    private final Executor onLoop = this::onLoop;
    private final Map<String, Room> rooms = new HashMap<>();
    /** Every connection here, by connection id (which is also stored with the messages it sends). */
    private final Map<String, Member> members = new HashMap<>();
    private volatile boolean shuttingDown;
    private volatile long heartbeatTimer = -1;
    private final AtomicBoolean unregistered = new AtomicBoolean();

    ChatService(ChatConfig config, MessageRepository messages, ChatBackplane backplane, ObjectMapper json,
            Vertx vertx, MeterRegistry registry) {
        this.config = config;
        this.messages = messages;
        this.backplane = backplane;
        this.json = json;
        this.vertx = vertx;
        this.registry = registry;
        registry.gauge("switchboard.chat.connections", connections);
        this.messagesIn = registry.counter("switchboard.chat.messages.in");
        this.messagesOut = registry.counter("switchboard.chat.messages.out");
        this.slowConsumerCloses = registry.counter("switchboard.chat.slow.consumer.closes");
        this.broadcastLatency = Timer.builder("switchboard.chat.broadcast.latency")
                .description("From a message received to its frames queued for every connection of the room")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    void start(@Observes StartupEvent event) {
        context = vertx.getOrCreateContext();
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        context.runOnContext(v -> thread.complete(Thread.currentThread()));
        loopThread = thread.join();
        backplane.start(this, present.values()).await().atMost(Duration.ofSeconds(60));
        context.runOnContext(v -> heartbeatTimer = vertx.setPeriodic(config.heartbeatInterval().toMillis(), id -> heartbeat()));
        LOG.infof("Chat replica %s ready", backplane.replica());
    }

    // ---------------------------------------------------------------- connections

    /** Admits a new connection (or closes it with 1008 saying why); completes after its welcome frame. */
    public Uni<Void> join(WebSocketConnection connection, String room, HandshakeRequest handshake) {
        String problem = null;
        Map<String, String> query = Map.of();
        try {
            query = ChatRules.query(handshake.query());
        } catch (IllegalArgumentException e) {
            problem = "malformed query string";
        }
        String name = query.get("name");
        long since = -1;
        if (problem == null) {
            problem = ChatRules.roomProblem(room);
        }
        if (problem == null) {
            problem = ChatRules.nameProblem(name);
        }
        if (problem == null && query.containsKey("since")) {
            try {
                since = Long.parseLong(query.get("since"));
            } catch (NumberFormatException e) {
                since = -1;
            }
            if (since < 0) {
                problem = "since must be a message id (a whole number, 0 or more)";
            }
        }
        if (problem == null) {
            problem = ChatRules.originProblem(handshake.header("Origin"), handshake.header("Host"),
                    config.allowedOrigins().orElse(List.of()));
        }
        if (problem != null) {
            rejected("invalid-handshake");
            return connection.close(new CloseReason(1008, problem));
        }
        if (shuttingDown) {
            return connection.close(new CloseReason(1001, "server shutting down"));
        }
        Member member = new Member(connection, room, name);
        connection.userData().put(MEMBER, member);
        connections.incrementAndGet();
        long from = since;
        return Uni.createFrom().emitter(done -> onLoop(() -> admit(member, from, () -> done.complete(null))));
    }

    private void admit(Member member, long since, Runnable done) {
        LOG.warnf("DIAG admit %s closing=%s", member.name, member.closing);
        if (member.closing) {
            done.run();
            return;
        }
        Room room = rooms.computeIfAbsent(member.room, Room::new);
        room.members.add(member);
        members.put(member.id, member);
        present.put(member.id, new ChatBackplane.Presence(member.id, member.room, member.name));
        room.counted(member.name, 1);
        broadcastPresence(room, "join", member.name, member);
        int limit = since >= 0 ? config.recoveryLimit() : config.historySize();
        backplane.join(member.id, member.room, member.name)
                .emitOn(onLoop)
                .invoke(() -> {
                    member.presenceStored = true;
                    if (member.left) {
                        storeLeave(member);
                    }
                })
                .flatMap(x -> Uni.combine().all()
                        .unis(messages.recent(member.room, Math.max(since, 0), limit), backplane.present(member.room))
                        .asTuple())
                .emitOn(onLoop)
                .subscribe().with(result -> {
                    welcome(room, member, result.getItem1(), result.getItem2());
                    done.run();
                }, failure -> {
                    LOG.warnf("Could not welcome %s to %s: %s", member.name, member.room, failure.getMessage());
                    member.closing = true;
                    member.connection.close(new CloseReason(1011, "chat storage unavailable, try again"))
                            .subscribe().with(x -> done.run(), e -> done.run());
                });
    }

    private void welcome(Room room, Member member, MessageRepository.Recent recent, List<String> presence) {
        LOG.warnf("DIAG welcome %s closing=%s inRoom=%s closed=%s", member.name, member.closing, room.members.contains(member), member.connection.isClosed());
        if (member.closing || !room.members.contains(member)) {
            return;
        }
        send(member, encode(new ChatFrames.Welcome(member.room, member.name, presence, recent.messages(),
                recent.truncated())));
        if (room.presence == null) {
            room.presence = multiset(presence); // what this replica tells the room from now on
        }
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

    /** Brings a welcomed connection up to the room's cursor, then lets broadcasts reach it directly. */
    private void settle(Room room, Member member) {
        if (member.delivered < room.cursor) {
            // Its history was read in an older snapshot than what the room already delivered: fill the gap.
            int gap = (int) Math.min(room.cursor - member.delivered, 10_000);
            messages.after(member.room, member.delivered, gap).emitOn(onLoop).subscribe().with(missed -> {
                for (MessageRepository.Stored stored : missed) {
                    ChatMessage message = stored.message();
                    if (message.id() > member.delivered) {
                        member.delivered = message.id();
                        if (!member.id.equals(stored.connection())) {
                            send(member, encode(message));
                        }
                    }
                }
                settle(room, member);
            }, failure -> closeWith(member, 1011, "chat storage unavailable, try again"));
            return;
        }
        member.ready = true;
        List<String> held = member.held;
        member.held = null;
        if (held != null) {
            held.forEach(frame -> send(member, frame));
        }
        List<Outgoing> early = member.early;
        member.early = null;
        if (early != null) {
            for (Outgoing outgoing : early) {
                deliver(member, outgoing);
            }
        }
    }

    /** The connection closed (for whatever reason): it leaves its room everywhere. */
    public void leave(WebSocketConnection connection) {
        Member member = connection.userData().get(MEMBER);
        if (member == null || !member.departed.compareAndSet(false, true)) {
            return;
        }
        member.closing = true;
        connections.decrementAndGet();
        onLoop(() -> {
            member.left = true;
            members.remove(member.id);
            present.remove(member.id);
            Room room = rooms.get(member.room);
            if (room != null && room.members.remove(member)) {
                room.counted(member.name, -1);
                broadcastPresence(room, "leave", member.name, member);
                if (room.members.isEmpty() && room.outbox.isEmpty() && !room.writing) {
                    rooms.remove(room.name);
                }
            }
            if (member.presenceStored) {
                storeLeave(member);
            }
        });
    }

    private void storeLeave(Member member) {
        backplane.leave(member.id).subscribe().with(x -> {
        }, e -> LOG.warnf("Could not remove presence of %s: %s", member.name, e.getMessage()));
    }

    public void pong(WebSocketConnection connection) {
        Member member = connection.userData().get(MEMBER);
        if (member != null) {
            member.lastSeen = System.nanoTime();
        }
    }

    // ---------------------------------------------------------------- inbound messages

    /** One text frame from a client: checked here, on the connection's own event loop, then queued for its room. */
    public void receive(WebSocketConnection connection, String frame) {
        Member member = connection.userData().get(MEMBER);
        if (member == null || member.closing) {
            return;
        }
        long now = System.nanoTime();
        member.lastSeen = now;
        if (ChatRules.utf8Longer(frame, config.maxFrameBytes())) {
            rejected("frame-too-large");
            closeWith(member, 1009, "frame too large: the limit is " + config.maxFrameBytes() + " bytes");
            return;
        }
        String text = frame;
        String trimmed = frame.stripLeading();
        if (trimmed.startsWith("{")) {
            JsonNode node = null;
            try {
                node = json.readTree(frame);
            } catch (JsonProcessingException e) {
                // Not JSON: the frame is the text.
            }
            if (node != null && node.isObject() && node.has("type")) {
                JsonNode textNode = node.get("text");
                if (!"message".equals(node.get("type").asText()) || textNode == null || !textNode.isTextual()) {
                    error(member, "invalid-type", "send {\"type\":\"message\",\"text\":\"...\"} or plain text");
                    return;
                }
                text = textNode.asText();
            }
        }
        if (text.isBlank()) {
            error(member, "empty", "the message text is empty");
            return;
        }
        int length = text.codePointCount(0, text.length());
        if (length > config.maxTextLength()) {
            error(member, "too-long", "the message text has " + length + " characters; the limit is "
                    + config.maxTextLength());
            return;
        }
        if (shuttingDown) {
            error(member, "unavailable", "the server is shutting down; reconnect");
            return;
        }
        if (!member.tryAcquire(now, config.ratePerSecond(), config.rateBurst())) {
            error(member, "rate-limited", "more than " + config.rateBurst() + " messages at once or "
                    + config.ratePerSecond() + " per second; this one was not sent");
            return;
        }
        String accepted = text;
        onLoop(() -> enqueue(member, accepted, now));
    }

    private void enqueue(Member member, String text, long receivedAt) {
        Room room = rooms.get(member.room);
        if (room == null || !room.members.contains(member)) {
            return;
        }
        room.outbox.add(new Pending(member, text, receivedAt));
        if (!room.writing) {
            write(room);
        }
    }

    /** Stores what is waiting in the room's outbox in one insert; what arrives meanwhile waits for the next. */
    private void write(Room room) {
        int size = Math.min(room.outbox.size(), config.maxBatch());
        Pending[] batch = new Pending[size];
        String[] senders = new String[size];
        String[] texts = new String[size];
        String[] connections = new String[size];
        for (int i = 0; i < size; i++) {
            Pending pending = room.outbox.poll();
            batch[i] = pending;
            senders[i] = pending.member.name;
            texts[i] = pending.text;
            connections[i] = pending.member.id;
        }
        room.writing = true;
        messages.append(room.name, senders, texts, connections, config.channel()).emitOn(onLoop).subscribe().with(stored -> {
            room.writing = false;
            messagesIn.increment(size);
            for (int i = 0; i < size; i++) {
                ChatMessage message = stored.get(i);
                sendWhenWelcomed(batch[i].member, encode(new ChatFrames.Ack(message.id(), message.room(), message.at())));
            }
            publish(room, stored, batch);
            afterWrite(room);
        }, failure -> {
            room.writing = false;
            LOG.warnf("Could not store %d message(s) in %s: %s", size, room.name, failure.getMessage());
            for (Pending pending : batch) {
                // The insert may have committed with only its reply lost: the client should check before resending.
                error(pending.member, "unavailable", "the message may not have been stored; "
                        + "reconnect with since= to see whether it was before sending it again");
            }
            afterWrite(room);
        });
    }

    private void afterWrite(Room room) {
        if (!room.outbox.isEmpty()) {
            write(room);
        } else if (room.members.isEmpty() && rooms.get(room.name) == room) {
            rooms.remove(room.name);
        }
    }

    /**
     * Our own insert: delivered straight away when it follows what the room delivered last; else other
     * messages came first (or a replay already delivered these), and a replay delivers in order.
     */
    private void publish(Room room, List<ChatMessage> stored, Pending[] batch) {
        long now = System.nanoTime();
        if (room.cursor >= 0 && stored.get(0).id() == room.cursor + 1) {
            for (int i = 0; i < stored.size(); i++) {
                ChatMessage message = stored.get(i);
                broadcast(room, new Outgoing(message, encode(message), batch[i].member));
                room.cursor = message.id();
                broadcastLatency.record(now - batch[i].receivedAt, TimeUnit.NANOSECONDS);
            }
        } else if (stored.get(stored.size() - 1).id() > room.cursor) {
            replay(room);
        }
    }

    // ---------------------------------------------------------------- delivery

    private void broadcast(Room room, Outgoing outgoing) {
        int sent = 0;
        for (Member member : room.members) {
            if (deliver(member, outgoing)) {
                sent++;
            }
        }
        messagesOut.increment(sent);
    }

    /** Sends the message to the member unless it already has it or wrote it; true when a frame was sent. */
    private boolean deliver(Member member, Outgoing outgoing) {
        if (!member.ready) {
            if (member.early == null) {
                member.early = new ArrayList<>();
            } else if (member.early.size() >= config.maxOutboundFrames()) {
                slowConsumer(member); // still joining while the room outpaces it: same bound as the socket's queue
                return false;
            }
            member.early.add(outgoing);
            return false;
        }
        if (outgoing.message.id() <= member.delivered) {
            return false;
        }
        member.delivered = outgoing.message.id();
        if (member == outgoing.origin) {
            return false; // the sender got an ack instead
        }
        return send(member, outgoing.frame);
    }

    /** Reads the room's messages after its cursor from the table and delivers them in order. */
    private void replay(Room room) {
        if (room.members.isEmpty() || rooms.get(room.name) != room) {
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
        messages.after(room.name, room.cursor, REPLAY_BATCH).emitOn(onLoop).subscribe().with(found -> {
            room.replaying = false;
            for (MessageRepository.Stored stored : found) {
                ChatMessage message = stored.message();
                if (message.id() == room.cursor + 1) {
                    Member origin = stored.connection() == null ? null : members.get(stored.connection());
                    broadcast(room, new Outgoing(message, encode(message), origin));
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
            vertx.setTimer(500, id -> onLoop(() -> replay(room)));
        });
    }

    private void broadcastPresence(Room room, String type, String name, Member except) {
        String frame = null;
        for (Member member : room.members) {
            if (member != except && member.ready) {
                if (frame == null) {
                    frame = encode(new ChatFrames.Presence(type, room.name, name));
                }
                send(member, frame);
            }
        }
    }

    @Override
    public void messagesStored(String room, long lastId) {
        onLoop(() -> {
            Room found = rooms.get(room);
            if (found == null) {
                return;
            }
            if (found.cursor < 0) {
                found.dirty = true;
            } else if (lastId > found.cursor) {
                replay(found);
            }
        });
    }

    @Override
    public void presenceChanged(boolean joined, String room, String name) {
        onLoop(() -> {
            Room found = rooms.get(room);
            if (found != null) {
                found.counted(name, joined ? 1 : -1);
                broadcastPresence(found, joined ? "join" : "leave", name, null);
            }
        });
    }

    @Override
    public void listening() {
        // Notifications may have been lost while the listener was away: read what is new from the tables.
        onLoop(() -> List.copyOf(rooms.values()).forEach(room -> {
            replay(room);
            resyncPresence(room);
        }));
    }

    /**
     * Tells the room's clients the joins and leaves this replica missed: the other replicas' presence
     * is re-read from the table, ours is what is connected here, and the difference from what the room
     * was last told goes out as presence frames.
     */
    private void resyncPresence(Room room) {
        backplane.presentElsewhere(room.name).emitOn(onLoop).subscribe().with(elsewhere -> {
            if (rooms.get(room.name) != room || room.presence == null) {
                return; // gone, or not welcomed anyone yet: the first welcome reads the table anyway
            }
            Map<String, Integer> now = multiset(elsewhere);
            room.members.forEach(member -> now.merge(member.name, 1, Integer::sum));
            Map<String, Integer> told = room.presence;
            room.presence = now;
            now.forEach((name, count) -> {
                for (int i = told.getOrDefault(name, 0); i < count; i++) {
                    broadcastPresence(room, "join", name, null);
                }
            });
            told.forEach((name, count) -> {
                for (int i = now.getOrDefault(name, 0); i < count; i++) {
                    broadcastPresence(room, "leave", name, null);
                }
            });
        }, failure -> LOG.warnf("Could not re-read presence of %s: %s", room.name, failure.getMessage()));
    }

    private static Map<String, Integer> multiset(List<String> names) {
        Map<String, Integer> counts = new HashMap<>();
        names.forEach(name -> counts.merge(name, 1, Integer::sum));
        return counts;
    }

    /** Acks and errors: never before the welcome, so they wait on the chat loop until it was sent. */
    private void sendWhenWelcomed(Member member, String frame) {
        if (member.ready) {
            send(member, frame);
        } else if (!member.closing) {
            if (member.held == null) {
                member.held = new ArrayList<>();
            } else if (member.held.size() >= config.maxOutboundFrames()) {
                slowConsumer(member);
                return;
            }
            member.held.add(frame);
        }
    }

    /**
     * Writes a frame, counting frames the socket has not taken yet; past the bound the connection is a
     * slow consumer and is closed with 1013, so nobody buffers without limit. Safe from any thread.
     */
    private boolean send(Member member, String frame) {
        if (member.closing || member.connection.isClosed()) {
            return false;
        }
        if (member.outstanding.incrementAndGet() > config.maxOutboundFrames()) {
            member.outstanding.decrementAndGet();
            slowConsumer(member);
            return false;
        }
        if (frame.startsWith("{\"type\":\"welcome")) {
            LOG.warnf("DIAG sending welcome to %s on %s", member.name, Thread.currentThread().getName());
            member.connection.sendText(frame).subscribe().with(x -> { LOG.warnf("DIAG welcome written %s", member.name); member.written.accept(x); },
                    e -> { LOG.warnf(e, "DIAG welcome FAILED %s", member.name); member.failed.accept(e); });
            return true;
        }
        member.connection.sendText(frame).subscribe().with(member.written, member.failed);
        return true;
    }

    private void slowConsumer(Member member) {
        if (member.closing) {
            return;
        }
        if (member.connection.isClosed()) {
            member.closing = true;
            return;
        }
        slowConsumerCloses.increment();
        LOG.debugf("Closing slow consumer %s in %s", member.name, member.room);
        closeWith(member, 1013, "slow consumer: more than " + config.maxOutboundFrames() + " frames waiting to be sent");
    }

    /** Closes with a code and reason; a connection the client already closed is left alone. */
    private static void closeWith(Member member, int code, String reason) {
        member.closing = true;
        if (!member.connection.isClosed()) {
            member.connection.close(new CloseReason(code, reason)).subscribe().with(x -> {
            }, e -> {
            });
        }
    }

    /** Safe from any thread: the frame goes through the chat loop, after the welcome. */
    private void error(Member member, String code, String detail) {
        rejected(code);
        String frame = encode(new ChatFrames.Error(code, detail));
        onLoop(() -> sendWhenWelcomed(member, frame));
    }

    private void rejected(String reason) {
        registry.counter("switchboard.chat.rejected", "reason", reason).increment();
    }

    /** Pings everyone; closes connections that have not answered (or sent anything) for two intervals. */
    private void heartbeat() {
        long now = System.nanoTime();
        long dead = 2 * config.heartbeatInterval().toNanos();
        for (Member member : members.values()) {
            if (member.closing) {
                continue;
            }
            if (now - member.lastSeen > dead) {
                rejected("heartbeat-timeout");
                closeWith(member, 1001, "no answer to pings");
            } else if (member.outstanding.incrementAndGet() > config.maxOutboundFrames()) {
                member.outstanding.decrementAndGet();
                slowConsumer(member);
            } else {
                member.connection.sendPing(PING).subscribe().with(member.written, member.failed);
            }
        }
    }

    // ---------------------------------------------------------------- shutdown

    /** Stops taking messages, lets those in flight be stored and written, then closes everyone with 1001. */
    void drain(@Observes ShutdownDelayInitiatedEvent event) {
        shuttingDown = true;
        if (context == null) {
            return;
        }
        cancelHeartbeat();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        long deadline = System.nanoTime() + config.shutdownFlushTimeout().toNanos();
        onLoop(() -> closeWhenFlushed(deadline, closed));
        if (!Context.isOnEventLoopThread()) {
            try {
                closed.get(config.shutdownFlushTimeout().toMillis() + 2000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warnf("Chat connections not all closed on shutdown: %s", e.toString());
            }
            unregister();
        }
    }

    private void closeWhenFlushed(long deadline, CompletableFuture<Void> closed) {
        boolean busy = rooms.values().stream().anyMatch(r -> r.writing || !r.outbox.isEmpty() || r.replaying)
                || members.values().stream().anyMatch(m -> !m.closing && m.outstanding.get() > 0);
        if (busy && System.nanoTime() < deadline) {
            vertx.setTimer(20, id -> onLoop(() -> closeWhenFlushed(deadline, closed)));
            return;
        }
        List<Uni<Void>> closing = new ArrayList<>();
        for (Member member : List.copyOf(members.values())) {
            member.closing = true;
            if (member.connection.isClosed()) {
                continue;
            }
            closing.add(member.connection.close(new CloseReason(1001, "server shutting down"))
                    .onFailure().recoverWithNull());
        }
        if (closing.isEmpty()) {
            closed.complete(null);
        } else {
            Uni.join().all(closing).andCollectFailures().subscribe().with(x -> closed.complete(null),
                    e -> closed.complete(null));
        }
    }

    /** After the connections (or if shutdown came without the delay): others must not count us any more. */
    void stop(@Observes ShutdownEvent event) {
        unregister();
    }

    private void cancelHeartbeat() {
        long timer = heartbeatTimer;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            heartbeatTimer = -1;
        }
    }

    private void unregister() {
        cancelHeartbeat();
        if (!unregistered.compareAndSet(false, true)) {
            return;
        }
        try {
            backplane.stop().await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.infof("Could not unregister this chat replica (others drop it after %s): %s",
                    config.replicaTimeout(), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- helpers

    private void onLoop(Runnable task) {
        if (Thread.currentThread() == loopThread) {
            task.run();
        } else {
            context.runOnContext(v -> task.run());
        }
    }

    private String encode(Object frame) {
        try {
            return json.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode a chat frame", e);
        }
    }

    // ---------------------------------------------------------------- state

    private record Pending(Member member, String text, long receivedAt) {
    }

    /** A message with its frame, serialised once for the whole room. */
    private record Outgoing(ChatMessage message, String frame, Member origin) {
    }

    private static final class Room {
        final String name;
        final Set<Member> members = new LinkedHashSet<>();
        final ArrayDeque<Pending> outbox = new ArrayDeque<>();
        long cursor = -1;
        boolean writing;
        boolean replaying;
        boolean again;
        boolean dirty;
        /** Names (with how many connections each) this replica last told the room were present; null before any welcome. */
        Map<String, Integer> presence;

        Room(String name) {
            this.name = name;
        }

        void counted(String name, int delta) {
            if (presence != null) {
                int count = presence.getOrDefault(name, 0) + delta;
                if (count > 0) {
                    presence.put(name, count);
                } else {
                    presence.remove(name);
                }
            }
        }
    }

    private static final class Member {
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
        double tokens = -1;
        long refilledAt;

        Member(WebSocketConnection connection, String room, String name) {
            this.connection = connection;
            this.id = connection.id();
            this.room = room;
            this.name = name;
        }

        boolean tryAcquire(long now, double perSecond, int burst) {
            if (tokens < 0) {
                tokens = burst;
            } else {
                tokens = Math.min(burst, tokens + (now - refilledAt) * perSecond / 1e9);
            }
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
