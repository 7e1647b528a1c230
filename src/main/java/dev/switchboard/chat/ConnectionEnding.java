package dev.switchboard.chat;

/** How a chat connection ended: the {@code how} tag of {@code switchboard.chat.connections.closed}. */
enum ConnectionEnding {
    /** A close handshake: the client said goodbye, or the server closed it for breaking a rule. */
    CLOSE("close"),
    /** Gone without a close frame: a TCP reset, a dropped link, a client process that ended. */
    RESET("reset"),
    /** Silent for two heartbeat intervals. */
    TIMEOUT("timeout"),
    /** Its token expired (1008). */
    EXPIRED("expired"),
    /** Its outbox overflowed (1013). */
    SLOW_CONSUMER("slow-consumer"),
    /** Closed with 1001 because this replica shuts down. */
    SHUTDOWN("shutdown");

    final String tag;

    ConnectionEnding(String tag) {
        this.tag = tag;
    }
}
