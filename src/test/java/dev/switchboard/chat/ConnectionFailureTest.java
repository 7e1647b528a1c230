package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketException;
import java.nio.channels.ClosedChannelException;

import org.junit.jupiter.api.Test;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.http.HttpClosedException;

class ConnectionFailureTest {

    @Test
    void aTransportFailingUnderTheConnectionIsTheClientGone() {
        assertThat(ConnectionFailure.of(new SocketException("Connection reset"))).isEqualTo(ConnectionFailure.GONE);
        assertThat(ConnectionFailure.of(new ClosedChannelException())).isEqualTo(ConnectionFailure.GONE);
        assertThat(ConnectionFailure.of(new HttpClosedException("closed"))).isEqualTo(ConnectionFailure.GONE);
    }

    @Test
    void framesThatBreakTheProtocolAreTheClientsFault() {
        assertThat(ConnectionFailure.of(new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR, "unmasked")))
                .isEqualTo(ConnectionFailure.PROTOCOL);
        // As Vert.x words a message over its size limit.
        assertThat(ConnectionFailure.of(new IllegalStateException("Cannot process text frame of size 8192, it would cause "
                + "message buffer (size 65536) to overflow max message size of 65536"))).isEqualTo(ConnectionFailure.TOO_BIG);
    }

    @Test
    void anythingElseIsTheServersFault() {
        assertThat(ConnectionFailure.of(new NullPointerException())).isEqualTo(ConnectionFailure.SERVER);
        assertThat(ConnectionFailure.of(new IllegalStateException("some state"))).isEqualTo(ConnectionFailure.SERVER);
        assertThat(ConnectionFailure.SERVER.closeCode).isEqualTo(1011);
    }
}
