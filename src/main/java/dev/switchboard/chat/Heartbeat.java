package dev.switchboard.chat;

/**
 * Drops connections that went silent, and those whose token expired. The framework pings every connection each
 * heartbeat interval ({@code quarkus.websockets-next.server.auto-ping-interval}); a connection that has neither
 * answered a ping nor sent anything for two intervals is closed with 1001. The clock starts once the member is
 * welcomed: while its join waits for the database (or for the server, busy with a crowd joining at
 * once), its silence says nothing about the client. A connection whose token expired takes no more messages and
 * is closed with 1008 once its outbox is written (at most an interval later): the client reconnects with a fresh
 * token and {@code since}. One check per interval for every connection, rather than a timer per connection.
 * Chat loop only.
 */
final class Heartbeat {

    private final RoomRegistry registry;
    private final ChatMetrics metrics;
    private final long silentNanos;

    Heartbeat(RoomRegistry registry, ChatMetrics metrics, ChatConfig config) {
        this.registry = registry;
        this.metrics = metrics;
        this.silentNanos = 2 * config.heartbeatInterval().toNanos();
    }

    void check() {
        long now = System.nanoTime();
        long wallClock = System.currentTimeMillis();
        for (Member member : registry.members()) {
            if (member.ready && member.tokenExpiresAt <= wallClock && !member.connection.isClosed()) {
                expire(member);
            } else if (!member.closing && member.ready && now - member.lastSeen > silentNanos) {
                metrics.rejected("heartbeat-timeout");
                member.endsBy(ConnectionEnding.TIMEOUT);
                Delivery.close(member, 1001, "no answer to pings");
            }
        }
    }

    private void expire(Member member) {
        member.closing = true; // takes no more messages
        if (member.outbox.flushed()) {
            metrics.rejected("token-expired");
            member.endsBy(ConnectionEnding.EXPIRED);
            Delivery.close(member, 1008, "token expired");
        }
    }
}
