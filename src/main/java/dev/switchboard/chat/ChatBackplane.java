package dev.switchboard.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

/**
 * What the replicas share, through PostgreSQL only: presence rows, a heartbeat per replica, and
 * {@code LISTEN}/{@code NOTIFY} on one channel. Notifications carry ids, never message bodies:
 * <ul>
 * <li>{@code m <last id> <room>}: messages up to that id are stored in the room;</li>
 * <li>{@code j <replica> <room> <length of user> <user><name>} and the same with {@code l}: a connection of that
 * user joined or left (the length keeps any character of a subject or name from being taken for a separator).</li>
 * </ul>
 * Notifications sent while the listener is disconnected are lost: when it is listening again, the
 * service replays what it missed from the tables.
 */
@ApplicationScoped
public class ChatBackplane {

    private static final Logger LOG = Logger.getLogger(ChatBackplane.class);

    /** What the chat service does with what other replicas say. */
    public interface Listener {
        void messagesStored(String room, long lastId);

        void presenceChanged(boolean joined, String room, ChatUser user);

        /** The listener is (again) subscribed: anything may have been missed before this. */
        void listening();
    }

    private static final String JOIN = """
            WITH ins AS (INSERT INTO chat_presence (replica, connection, room, user_id, name) VALUES ($1, $2, $3, $4, $5)
                         ON CONFLICT DO NOTHING RETURNING room, user_id, name)
            SELECT pg_notify($6, 'j ' || $1 || ' ' || room || ' ' || length(user_id) || ' ' || user_id || name) FROM ins""";

    private static final String LEAVE = """
            WITH del AS (DELETE FROM chat_presence WHERE replica = $1 AND connection = $2 RETURNING room, user_id, name)
            SELECT pg_notify($3, 'l ' || $1 || ' ' || room || ' ' || length(user_id) || ' ' || user_id || name) FROM del""";

    private static final String PRESENT = """
            SELECT p.user_id, p.name FROM chat_presence p JOIN chat_replicas r ON r.id = p.replica
            WHERE p.room = $1 AND r.seen_at > now() - make_interval(secs => $2)
            ORDER BY p.joined_at, p.user_id""";

    /**
     * Removes replicas whose heartbeat stopped, with their presence, telling everyone who left. Never the
     * reaping replica itself: after a stall its own row, just refreshed, carries the time the refresh began.
     */
    private static final String REAP = """
            WITH dead AS (DELETE FROM chat_replicas WHERE seen_at < now() - make_interval(secs => $1) AND id <> $3 RETURNING id),
            gone AS (DELETE FROM chat_presence p USING dead WHERE p.replica = dead.id RETURNING p.replica, p.room, p.user_id, p.name)
            SELECT pg_notify($2, 'l ' || replica || ' ' || room || ' ' || length(user_id) || ' ' || user_id || name) FROM gone""";

    private static final String GONE = """
            WITH gone AS (DELETE FROM chat_presence WHERE replica = $1 RETURNING room, user_id, name)
            SELECT pg_notify($2, 'l ' || $1 || ' ' || room || ' ' || length(user_id) || ' ' || user_id || name) FROM gone""";

    private final Pool pool;
    private final Vertx vertx;
    private final ChatConfig config;
    private final String replica = UUID.randomUUID().toString().substring(0, 13);
    private final String url;
    private final Optional<String> username;
    private final Optional<String> password;
    private final Optional<String> sslMode;
    private final Optional<Boolean> trustAll;
    private final Optional<String> hostnameVerification;
    private PgSubscriber subscriber;
    private Cancellable connecting;
    private long heartbeatTimer = -1;
    /** Set while a heartbeat runs: on a stalled database the next ticks are skipped, not stacked up. */
    private final AtomicBoolean heartbeating = new AtomicBoolean();
    private volatile boolean listening;
    private final AtomicLong subscriptions = new AtomicLong();
    private volatile boolean stopping;
    /** System.nanoTime() since when the listener has not been subscribed (meaningful while not listening). */
    private volatile long deafSince = System.nanoTime();

    ChatBackplane(Pool pool, Vertx vertx, ChatConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
            @ConfigProperty(name = "quarkus.datasource.reactive.postgresql.ssl-mode") Optional<String> sslMode,
            @ConfigProperty(name = "quarkus.datasource.reactive.trust-all") Optional<Boolean> trustAll,
            @ConfigProperty(name = "quarkus.datasource.reactive.hostname-verification-algorithm") Optional<String> hostnameVerification) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
        this.url = url;
        this.username = username;
        this.password = password;
        this.sslMode = sslMode;
        this.trustAll = trustAll;
        this.hostnameVerification = hostnameVerification;
    }

    public String replica() {
        return replica;
    }

    public boolean isListening() {
        return listening;
    }

    /** How many times the listener has subscribed (again) since start-up. */
    public long subscriptions() {
        return subscriptions.get();
    }

    /** How long the listener has not been subscribed; zero while it is. */
    public Duration deafFor() {
        return listening ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - deafSince);
    }

    /** The listener's own connection: the datasource's URL and credentials, and its TLS settings too. */
    PgConnectOptions listenerOptions() {
        PgConnectOptions options = PgConnectOptions.fromUri(url.startsWith("vertx-reactive:")
                ? url.substring("vertx-reactive:".length()) : url);
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        sslMode.ifPresent(mode -> options.setSslMode(SslMode.of(mode)));
        trustAll.ifPresent(options::setTrustAll);
        // As for the datasource, NONE means no hostname verification.
        hostnameVerification.ifPresent(algorithm -> options.setHostnameVerificationAlgorithm(
                "NONE".equalsIgnoreCase(algorithm) ? "" : algorithm));
        // Its client meters as the pool's are named (postgresql.*), told apart by clientName.
        options.setMetricsName("postgresql|chat-listener");
        return options;
    }

    /** Registers this replica, starts its heartbeat and listens; the returned Uni completes once registered. */
    public Uni<Void> start(Listener listener, Collection<Presence> present) {
        deafSince = System.nanoTime();
        subscriber = PgSubscriber.subscriber(vertx, listenerOptions())
                // Reconnect forever, backing off to 2 s; the subscribe handler below then fires again.
                // The subscriber reconnects by itself and calls its close handler only once it gives up
                // (never, here), so the policy is where a lost connection shows: it is asked for a first
                // delay (retries == 0) exactly when the connection was lost.
                .reconnectPolicy(retries -> {
                    if (retries == 0) {
                        deaf();
                    }
                    return Math.min(2000L, 100L * (1L << Math.min(retries, 5)));
                });
        subscriber.channel(config.channel())
                .handler(payload -> dispatch(listener, payload))
                .subscribeHandler(() -> {
                    subscriptions.incrementAndGet();
                    listening = true;
                    listener.listening();
                });
        subscriber.closeHandler(this::deaf);
        long every = Math.max(100, config.replicaTimeout().toMillis() / 3);
        heartbeatTimer = vertx.setPeriodic(every, id -> {
            if (heartbeating.compareAndSet(false, true)) {
                heartbeat(present).onTermination().invoke(() -> heartbeating.set(false))
                        .subscribe().with(x -> {
                        }, e -> LOG.warnf("Chat replica heartbeat failed: %s", e.getMessage()));
            }
        });
        return register().invoke(() -> connecting = subscriber.connect()
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).indefinitely()
                .subscribe().with(x -> {
                }, e -> LOG.error("Chat listener could not connect", e)));
    }

    /**
     * The listener connection is gone. Only the first call of an outage counts: a reconnect whose
     * {@code LISTEN} fails is lost again before it was ever heard, and must not restart the grace.
     */
    private synchronized void deaf() {
        if (listening) {
            deafSince = System.nanoTime();
            listening = false;
            if (!stopping) {
                LOG.warn("Chat listener connection lost; reconnecting");
            }
        }
    }

    private Uni<Void> register() {
        return pool.preparedQuery("INSERT INTO chat_replicas (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET seen_at = now()")
                .execute(Tuple.of(replica)).replaceWithVoid();
    }

    /** One heartbeat: refresh our row (re-registering our presence if we were reaped), then reap the dead. */
    private Uni<Void> heartbeat(Collection<Presence> present) {
        return pool.preparedQuery("UPDATE chat_replicas SET seen_at = now() WHERE id = $1")
                .execute(Tuple.of(replica))
                .flatMap(rows -> rows.rowCount() > 0 ? Uni.createFrom().voidItem() : reregister(present))
                .flatMap(x -> pool.preparedQuery(REAP)
                        .execute(Tuple.of(config.replicaTimeout().toMillis() / 1000.0, config.channel(), replica)))
                .replaceWithVoid();
    }

    /** We stalled longer than the timeout and others removed us: come back with who is still connected here. */
    private Uni<Void> reregister(Collection<Presence> present) {
        LOG.warn("This chat replica was considered dead by the others; registering again");
        return register().flatMap(x -> {
            List<Tuple> batch = new ArrayList<>();
            for (Presence p : List.copyOf(present)) {
                batch.add(Tuple.of(replica, p.connection(), p.room(), p.user().user(), p.user().name(), config.channel()));
            }
            return batch.isEmpty() ? Uni.createFrom().voidItem()
                    : pool.preparedQuery(JOIN).executeBatch(batch).replaceWithVoid();
        });
    }

    public record Presence(String connection, String room, ChatUser user) {
    }

    public Uni<Void> join(String connection, String room, ChatUser user) {
        return pool.preparedQuery(JOIN)
                .execute(Tuple.of(replica, connection, room, user.user(), user.name(), config.channel()))
                .replaceWithVoid();
    }

    public Uni<Void> leave(String connection) {
        return pool.preparedQuery(LEAVE).execute(Tuple.of(replica, connection, config.channel())).replaceWithVoid();
    }

    private static final String PRESENT_ELSEWHERE = """
            SELECT p.user_id, p.name FROM chat_presence p JOIN chat_replicas r ON r.id = p.replica
            WHERE p.room = $1 AND p.replica <> $3 AND r.seen_at > now() - make_interval(secs => $2)""";

    /** Users present in the room on the other live replicas, one entry per connection (this replica knows its own best). */
    public Uni<List<ChatUser>> presentElsewhere(String room) {
        return pool.preparedQuery(PRESENT_ELSEWHERE)
                .execute(Tuple.of(room, config.replicaTimeout().toMillis() / 1000.0, replica))
                .map(ChatBackplane::users);
    }

    /** Users present in the room on every live replica, one entry per connection, earliest first. */
    public Uni<List<ChatUser>> present(String room) {
        return pool.preparedQuery(PRESENT).execute(Tuple.of(room, config.replicaTimeout().toMillis() / 1000.0))
                .map(ChatBackplane::users);
    }

    private static List<ChatUser> users(Iterable<Row> rows) {
        List<ChatUser> users = new ArrayList<>();
        for (Row row : rows) {
            users.add(new ChatUser(row.getString(0), row.getString(1)));
        }
        return users;
    }

    /** Stops listening and removes this replica with its presence (others see them leave). */
    public Uni<Void> stop() {
        stopping = true;
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
        }
        if (connecting != null) {
            connecting.cancel(); // a first connect still retrying must not reconnect after the close below
        }
        Uni<Void> closed = subscriber == null ? Uni.createFrom().voidItem() : subscriber.close();
        return closed.onFailure().recoverWithNull()
                .flatMap(x -> pool.preparedQuery(GONE).execute(Tuple.of(replica, config.channel())))
                .flatMap(x -> pool.preparedQuery("DELETE FROM chat_replicas WHERE id = $1").execute(Tuple.of(replica)))
                .replaceWithVoid();
    }

    private void dispatch(Listener listener, String payload) {
        try {
            if (payload.startsWith("m ")) {
                int space = payload.indexOf(' ', 2);
                listener.messagesStored(payload.substring(space + 1), Long.parseLong(payload, 2, space, 10));
            } else if (payload.startsWith("j ") || payload.startsWith("l ")) {
                String[] parts = payload.split(" ", 5);
                if (parts.length == 5 && !parts[1].equals(replica)) {
                    // PostgreSQL's length() counts characters, not UTF-16 units.
                    int userEnd = parts[4].offsetByCodePoints(0, Integer.parseInt(parts[3]));
                    ChatUser user = new ChatUser(parts[4].substring(0, userEnd), parts[4].substring(userEnd));
                    listener.presenceChanged(payload.charAt(0) == 'j', parts[2], user);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("Ignoring malformed chat notification '%s': %s", payload, e.getMessage());
        }
    }
}
