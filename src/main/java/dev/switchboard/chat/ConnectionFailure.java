package dev.switchboard.chat;

import java.io.IOException;

import io.netty.handler.codec.DecoderException;
import io.vertx.core.http.HttpClosedException;

/**
 * What an error reported on a chat connection means for the operator. Only {@link #SERVER} is this server's
 * own fault (logged at ERROR); the others are the client's doing or its network's, part of normal life.
 */
enum ConnectionFailure {
    /** The transport failed under a closing or reset connection (connection reset, closed channel). */
    GONE(1001, "connection failed"),
    /** A message larger than {@code quarkus.websockets-next.server.max-message-size}. */
    TOO_BIG(1009, "message too big"),
    /** Frames that break the WebSocket protocol (unmasked, bad UTF-8, an oversized frame...). */
    PROTOCOL(1002, "protocol error"),
    /** Anything else: a bug or a failure of this server. */
    SERVER(1011, "internal error");

    /** The close the server sends should the connection still be open (a reset one is closed already). */
    final int closeCode;
    final String reason;

    ConnectionFailure(int closeCode, String reason) {
        this.closeCode = closeCode;
        this.reason = reason;
    }

    static ConnectionFailure of(Throwable failure) {
        if (failure instanceof IOException || failure instanceof HttpClosedException) {
            return GONE;
        }
        if (failure instanceof DecoderException) {
            return PROTOCOL;
        }
        // Vert.x reports a message over its size limit as a plain IllegalStateException, told only by its text.
        if (failure instanceof IllegalStateException && failure.getMessage() != null
                && failure.getMessage().contains("max message size")) {
            return TOO_BIG;
        }
        return SERVER;
    }
}
