package dev.switchboard.chat;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.HandshakeRequest;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.PathParam;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * The chat protocol endpoint, {@code ws://host/chat/{room}[?since=...&epoch=...]}. Protocol only: every
 * decision is the {@link ChatService}'s. Every method returns a {@code Uni} so it runs on the
 * connection's event loop, never on a worker thread.
 * <p>
 * The rule: any valid token (an identity provider's user, an admin, a guest) may connect; the upgrade without
 * one, or with an invalid or expired one, is refused with 401 (the HTTP layer checks it first, through the
 * {@code quarkus.http.auth.permission.chat} policy on {@code /chat/*}, so a bad token is a plain 401). The
 * token comes in {@code Authorization: Bearer}, or from a browser in the {@code Sec-WebSocket-Protocol} entry
 * {@code quarkus-http-upgrade#Authorization#Bearer <token>} beside the {@code switchboard-chat} subprotocol. Who
 * speaks is the token's, never the client's.
 */
@Authenticated
@WebSocket(path = "/chat/{room}")
public class ChatSocket {

    private static final Uni<Void> DONE = Uni.createFrom().voidItem();

    private final ChatService chat;
    /** The identity the upgrade was authenticated with (the framework keeps one per connection). */
    private final SecurityIdentity caller;

    ChatSocket(ChatService chat, SecurityIdentity caller) {
        this.chat = chat;
        this.caller = caller;
    }

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection, HandshakeRequest handshake, @PathParam String room) {
        return chat.join(connection, room, handshake, caller);
    }

    /** JSON {@code {"type":"message","text":"..."}} or plain text; one String handler takes both. */
    @OnTextMessage
    public Uni<Void> text(WebSocketConnection connection, String frame) {
        chat.receive(connection, frame);
        return DONE;
    }

    @OnPongMessage
    public Uni<Void> pong(WebSocketConnection connection, Buffer data) {
        chat.pong(connection);
        return DONE;
    }

    @OnClose
    public Uni<Void> close(WebSocketConnection connection) {
        chat.leave(connection);
        return DONE;
    }

    /**
     * Every error on a connection is handled here, so the framework neither logs it at ERROR nor tries to close
     * an already reset connection (which it would log at ERROR once more): the service tells a client's
     * vanishing from this server's own faults.
     */
    @OnError
    public Uni<Void> error(WebSocketConnection connection, Throwable failure) {
        return chat.failed(connection, failure);
    }
}
