package dev.switchboard.chat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Chat settings; every key can also be set as an environment variable (SWITCHBOARD_CHAT_...). */
@ConfigMapping(prefix = "switchboard.chat")
public interface ChatConfig {

    /** Messages in the welcome frame of a client that connects without {@code since}. */
    @WithDefault("50")
    @Min(0)
    @Max(1000)
    int historySize();

    /** Most messages replayed to a client that reconnects with {@code since}; older ones are left out (flagged). */
    @WithDefault("1000")
    @Min(1)
    @Max(10000)
    int recoveryLimit();

    /** Longest message text, in characters (Unicode code points). */
    @WithDefault("2000")
    @Min(1)
    @Max(100000)
    int maxTextLength();

    /**
     * Largest inbound frame in UTF-8 bytes; larger ones close the connection with 1009. Keep it below
     * {@code quarkus.websockets-next.server.max-message-size}, above which the framework closes with 1011.
     */
    @WithDefault("16384")
    @Min(64)
    int maxFrameBytes();

    /** Messages per second each connection may send, on average. */
    @WithDefault("20")
    @Positive
    double ratePerSecond();

    /** Messages a connection may send at once before the rate applies. */
    @WithDefault("10")
    @Min(1)
    int rateBurst();

    /**
     * Frames waiting inside the server for one connection (its outbox, the framework's and Netty's queues)
     * until its socket takes them; past this it is closed with 1013. Bursts (everyone joining a big room
     * at once) count too, so keep it well above the busiest room's frames per second.
     */
    @WithDefault("1024")
    @Min(1)
    int maxOutboundFrames();

    /** Bytes waiting inside the server for one connection, counted like {@link #maxOutboundFrames()}. */
    @WithDefault("1M")
    MemorySize maxOutboundBytes();

    /**
     * Browser origins allowed besides the server's own ({@code *} allows any). Clients that send no
     * {@code Origin} header (non-browser clients) are always allowed.
     */
    Optional<List<String>> allowedOrigins();

    /**
     * Rooms that only some may enter: names or patterns with {@code *} (e.g. {@code team-*}). A caller enters one
     * when its token's {@code rooms} claim names the room (or a pattern matching it), or it is an admin.
     */
    Optional<List<String>> privateRooms();

    /**
     * How often each connection is pinged (the framework's auto-ping is set to this); one that has not
     * answered or sent anything for two intervals is closed.
     */
    @WithDefault("20s")
    Duration heartbeatInterval();

    /** A replica whose heartbeat is older than this no longer counts: its connections leave the presence. */
    @WithDefault("15s")
    Duration replicaTimeout();

    /** Most messages of one room stored in one insert (messages that arrive during an insert wait for the next). */
    @WithDefault("256")
    @Min(1)
    @Max(10000)
    int maxBatch();

    /**
     * Messages of one room accepted here and waiting to be stored (while the database is slow); past this a
     * sender gets {@code unavailable} at once instead of a growing queue.
     */
    @WithDefault("1024")
    @Min(1)
    int maxUnstoredPerRoom();

    /** Open chat connections this replica accepts; more are refused with close code 1013. */
    @WithDefault("10000")
    @Min(1)
    int maxConnections();

    /** Open chat connections per client address on this replica; more are refused with close code 1013. */
    @WithDefault("64")
    @Min(1)
    int maxConnectionsPerAddress();

    /** Open chat connections per user (the token's subject) on this replica; more are refused with close code 1013. */
    @WithDefault("16")
    @Min(1)
    int maxConnectionsPerUser();

    /**
     * Header naming the client's address when the service runs behind a trusted proxy (e.g.
     * {@code X-Forwarded-For}; its last entry, the address the proxy saw, is used). Unset: the TCP peer.
     */
    Optional<String> clientAddressHeader();

    /** On shutdown, how long to wait for in-flight messages to be stored and written before closing with 1001. */
    @WithDefault("3s")
    Duration shutdownFlushTimeout();

    /**
     * How long the backplane listener may be disconnected before the readiness check reports DOWN: a
     * replica that cannot hear the others is taken out of rotation rather than serving stale rooms.
     */
    @WithDefault("5s")
    Duration listenerGrace();

    /** How much history each room keeps. */
    Retention retention();

    interface Retention {
        /** Newest messages kept per room; older ones are deleted. */
        @WithDefault("10000")
        @Min(1)
        long maxMessages();

        /** Messages older than this are deleted. */
        @WithDefault("30d")
        Duration maxAge();

        /** How often one replica (whichever takes the advisory lock) deletes what is past the limits. */
        @WithDefault("1m")
        Duration interval();

        /** Most messages deleted per statement, so deletion never holds a room's locks for long. */
        @WithDefault("1000")
        @Min(1)
        @Max(100000)
        int batchSize();
    }

    /** PostgreSQL channel shared by the replicas. */
    @WithDefault("switchboard_chat")
    String channel();
}
