package dev.switchboard.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.platform.DatabaseConfig;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.HandshakeRequest;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The chat's facade: what the endpoint calls, and what the backplane tells. The work is done by parts
 * with one job each, all of room state on one event loop ({@link ChatLoop}): the {@link RoomRegistry},
 * the {@link MessageWriter} that stores and acks, {@link Delivery} into each member's {@link Outbox},
 * {@link Catchup} from the table, the {@link PresenceTracker}, the {@link Heartbeat} and {@link ChatShutdown}.
 */
@ApplicationScoped
public class ChatService implements ChatBackplane.Listener {

    private static final Logger LOG = Logger.getLogger(ChatService.class);
    private static final UserData.TypedKey<Member> MEMBER = new UserData.TypedKey<>("switchboard.chat.member");

    private final ChatConfig config;
    private final MessageRepository messages;
    private final ChatBackplane backplane;
    private final FrameEncoder encoder;
    private final ObjectMapper json;
    private final ChatMetrics metrics;
    private final ChatLoop loop;
    private final RoomRegistry registry = new RoomRegistry();
    private final LoopWriters loopWriters = new LoopWriters();
    private final Delivery delivery;
    private final Catchup catchup;
    private final MessageWriter writer;
    private final PresenceTracker presence;
    private final Heartbeat heartbeat;
    private final ChatShutdown shutdown;
    private final ConnectionLimits limits;
    /** Who is connected here, for re-registering presence; read off the chat loop by the backplane. */
    private final Map<String, ChatBackplane.Presence> present = new ConcurrentHashMap<>();
    private volatile boolean shuttingDown;
    private volatile long heartbeatTimer = -1;
    private final AtomicBoolean unregistered = new AtomicBoolean();

    ChatService(ChatConfig config, MessageRepository messages, ChatBackplane backplane, FrameEncoder encoder,
            ObjectMapper json, ChatMetrics metrics, DatabaseConfig database, Vertx vertx) {
        this.config = config;
        this.messages = messages;
        this.backplane = backplane;
        this.encoder = encoder;
        this.json = json;
        this.metrics = metrics;
        this.loop = new ChatLoop(vertx);
        this.delivery = new Delivery(config, metrics);
        this.presence = new PresenceTracker(registry, delivery, encoder, backplane, loop);
        this.catchup = new Catchup(config, registry, messages, delivery, encoder, presence, loop);
        // A second past PostgreSQL's own statement timeout: an insert it never answers fails too.
        this.writer = new MessageWriter(config, messages, registry, delivery, catchup, encoder, metrics, loop,
                database.statementTimeoutDuration().plusSeconds(1));
        this.limits = new ConnectionLimits(config.maxConnections(), config.maxConnectionsPerAddress(),
                config.maxConnectionsPerUser());
        this.heartbeat = new Heartbeat(registry, metrics, config);
        this.shutdown = new ChatShutdown(registry, writer, loop);
    }

    void start(@Observes StartupEvent event) {
        loop.start();
        backplane.start(this, present.values()).await().atMost(Duration.ofSeconds(60));
        heartbeatTimer = loop.every(config.heartbeatInterval().toMillis(), heartbeat::check);
        LOG.infof("Chat replica %s ready", backplane.replica());
    }

    // ---------------------------------------------------------------- connections

    /**
     * Admits a new connection of {@code caller}, whose token was verified on the upgrade (or closes it with 1008 or
     * 1013 saying why); completes once its welcome is queued.
     */
    public Uni<Void> join(WebSocketConnection connection, String room, HandshakeRequest request, SecurityIdentity caller) {
        Handshake handshake;
        try {
            handshake = Handshake.parse(room, request.query(), request.header("Origin"), request.header("Host"),
                    config.allowedOrigins().orElse(List.of()));
        } catch (IllegalArgumentException e) {
            metrics.rejected("invalid-handshake");
            return connection.close(new CloseReason(1008, e.getMessage()));
        }
        if (shuttingDown) {
            return connection.close(new CloseReason(1001, "server shutting down"));
        }
        String address = ConnectionLimits.clientAddress(request.remoteAddress(),
                config.clientAddressHeader().map(request::header).orElse(null));
        JsonWebToken token = (JsonWebToken) caller.getPrincipal();
        ChatUser user = ChatUser.of(token);
        String full = limits.admit(address, user.user());
        if (full != null) {
            metrics.rejected("too-many-connections");
            return connection.close(new CloseReason(1013, full));
        }
        // @OnOpen runs on the connection's own event loop: its outbox writes from there.
        Outbox outbox = new Outbox(SocketAccess.socket(connection), loopWriters.writerFor(Vertx.currentContext()),
                config.maxOutboundFrames(), config.maxOutboundBytes().asLongValue());
        Member member = new Member(connection, handshake, user, token.getExpirationTime() * 1000, address,
                outbox, new TokenBucket(config.ratePerSecond(), config.rateBurst(), System.nanoTime()));
        connection.userData().put(MEMBER, member);
        metrics.connected();
        return Uni.createFrom().emitter(done -> loop.execute(() -> admit(member, handshake, () -> done.complete(null))));
    }

    private void admit(Member member, Handshake handshake, Runnable done) {
        if (member.closing) {
            done.run();
            return;
        }
        Room room = registry.enter(member);
        present.put(member.id, new ChatBackplane.Presence(member.id, member.room, member.user));
        presence.changed(room, true, member.user, member);
        backplane.join(member.id, member.room, member.user)
                .emitOn(loop)
                .invoke(() -> {
                    member.presenceStored = true;
                    if (member.left) {
                        storeLeave(member);
                    }
                })
                .flatMap(x -> Uni.combine().all()
                        .unis(catchup.history(handshake), backplane.present(member.room))
                        .asTuple())
                .emitOn(loop)
                .subscribe().with(result -> {
                    Catchup.History history = result.getItem1();
                    catchup.welcome(room, member, history.recent(), history.epochChanged(), result.getItem2());
                    done.run();
                }, failure -> {
                    LOG.warnf("Could not welcome %s to %s: %s", member.user.user(), member.room, failure.getMessage());
                    Delivery.close(member, 1011, "chat storage unavailable, try again");
                    done.run();
                });
    }

    /** The connection closed (for whatever reason): it leaves its room everywhere. */
    public void leave(WebSocketConnection connection) {
        Member member = connection.userData().get(MEMBER);
        if (member == null || !member.departed.compareAndSet(false, true)) {
            return;
        }
        member.closing = true;
        member.outbox.close();
        limits.release(member.address, member.user.user());
        // No close frame either way (none received, none sent) means the transport ended under it.
        member.endsBy(SocketAccess.socket(connection).closeStatusCode() == null ? ConnectionEnding.RESET : ConnectionEnding.CLOSE);
        ConnectionEnding how = member.ending.get();
        metrics.disconnected(how);
        LOG.debugf("Chat connection %s (%s in %s) ended: %s", member.id, member.user.user(), member.room, how.tag);
        loop.execute(() -> {
            member.left = true;
            present.remove(member.id);
            Room room = registry.leave(member);
            if (room != null) {
                presence.changed(room, false, member.user, member);
                registry.dropIfIdle(room);
            }
            if (member.presenceStored) {
                storeLeave(member);
            }
        });
    }

    /**
     * An error on the connection. A transport failing under a reset or closing connection, and a client breaking
     * the protocol, are normal life: at most a DEBUG line, and the close that follows makes the member leave.
     * Anything else is this server's fault: one ERROR naming the connection, and a 1011 close.
     */
    public Uni<Void> failed(WebSocketConnection connection, Throwable failure) {
        ConnectionFailure kind = ConnectionFailure.of(failure);
        Member member = connection.userData().get(MEMBER);
        String who = member == null ? connection.id() + " (" + connection.handshakeRequest().path() + ")"
                : member.id + " (" + member.user.user() + " in " + member.room + ")";
        if (kind == ConnectionFailure.SERVER) {
            LOG.errorf(failure, "Unexpected failure on chat connection %s; closing it with 1011 if still open", who);
        } else {
            LOG.debugf("Chat connection %s: %s (%s)", who, kind, failure);
        }
        if (member != null && kind == ConnectionFailure.GONE) {
            member.endsBy(ConnectionEnding.RESET);
        }
        if (connection.isClosed()) {
            return Uni.createFrom().voidItem(); // the close handler makes the member leave
        }
        return connection.close(new CloseReason(kind.closeCode, kind.reason)).onFailure().recoverWithNull();
    }

    private void storeLeave(Member member) {
        backplane.leave(member.id).subscribe().with(x -> {
        }, e -> LOG.warnf("Could not remove presence of %s: %s", member.user.user(), e.getMessage()));
    }

    public void pong(WebSocketConnection connection) {
        Member member = connection.userData().get(MEMBER);
        if (member != null) {
            member.lastSeen = System.nanoTime();
        }
    }

    /** One text frame from a client: checked here, on the connection's own event loop, then stored and broadcast. */
    public void receive(WebSocketConnection connection, String frame) {
        Member member = connection.userData().get(MEMBER);
        if (member == null || member.closing) {
            return;
        }
        long now = System.nanoTime();
        member.lastSeen = now;
        if (ChatRules.utf8Longer(frame, config.maxFrameBytes())) {
            metrics.rejected("frame-too-large");
            Delivery.close(member, 1009, "frame too large: the limit is " + config.maxFrameBytes() + " bytes");
            return;
        }
        InboundFrame inbound = InboundFrame.parse(frame, json, config.maxTextLength());
        // Every frame takes from the allowance, invalid ones too: refusing costs the server work as well.
        if (!member.allowance.tryTake(now)) {
            error(member, "rate-limited", "more than " + config.rateBurst() + " frames at once or "
                    + config.ratePerSecond() + " per second; this one was not sent", inbound.ref());
        } else if (!inbound.accepted()) {
            error(member, inbound.errorCode(), inbound.detail(), inbound.ref());
        } else if (shuttingDown) {
            error(member, "unavailable", "not sent: the server is shutting down; reconnect", inbound.ref());
        } else {
            loop.execute(() -> writer.accept(member, inbound.text(), inbound.ref(), now));
        }
    }

    private void error(Member member, String code, String detail, String ref) {
        metrics.rejected(code);
        Frame frame = encoder.encode(new ChatFrames.Error(code, detail, ref));
        loop.execute(() -> delivery.sendWhenWelcomed(member, frame));
    }

    // ---------------------------------------------------------------- other replicas

    @Override
    public void messagesStored(String room, long lastId) {
        loop.execute(() -> catchup.stored(room, lastId));
    }

    @Override
    public void presenceChanged(boolean joined, String room, ChatUser user) {
        loop.execute(() -> {
            Room found = registry.get(room);
            if (found != null) {
                presence.changed(found, joined, user, null);
            }
        });
    }

    @Override
    public void listening() {
        // Notifications may have been lost while the listener was away: read what is new from the tables.
        loop.execute(() -> registry.rooms().forEach(room -> {
            catchup.replay(room);
            presence.resync(room);
        }));
    }

    // ---------------------------------------------------------------- shutdown

    /** Stops taking messages, lets those in flight be stored and written, then closes everyone with 1001. */
    void drain(@Observes ShutdownDelayInitiatedEvent event) {
        shuttingDown = true;
        if (!loop.started()) {
            return;
        }
        cancelHeartbeat();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        long deadline = System.nanoTime() + config.shutdownFlushTimeout().toNanos();
        loop.execute(() -> shutdown.closeWhenFlushed(deadline, closed));
        if (!Context.isOnEventLoopThread()) {
            try {
                closed.get(config.shutdownFlushTimeout().toMillis() + 2000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warnf("Chat connections not all closed on shutdown: %s", e.toString());
            }
            unregister();
        }
    }

    /** After the connections (or if shutdown came without the delay): others must not count us any more. */
    void stop(@Observes ShutdownEvent event) {
        unregister();
    }

    private void cancelHeartbeat() {
        long timer = heartbeatTimer;
        if (timer >= 0) {
            loop.cancel(timer);
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
}
