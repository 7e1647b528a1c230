package dev.switchboard.chat;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.websockets.next.WebSocketConnection;
import io.quarkus.websockets.next.runtime.WebSocketConnectionBase;
import io.vertx.core.http.WebSocketBase;

/**
 * The Vert.x socket under a WebSockets Next connection. The outbox needs it for what the public
 * {@code WebSocketConnection} does not offer: the socket's writability (is Netty's write queue full?),
 * a drain callback, and writing bytes that were encoded once for a whole room. Quarkus keeps the
 * accessor package-private, so it is looked up once by reflection (registered for native images);
 * {@code SocketAccessTest} fails the build should an upgrade remove it.
 */
@RegisterForReflection(targets = WebSocketConnectionBase.class, methods = true, fields = false)
final class SocketAccess {

    private static final MethodHandle WEB_SOCKET = lookup();

    private SocketAccess() {
    }

    static WebSocketBase socket(WebSocketConnection connection) {
        try {
            return (WebSocketBase) WEB_SOCKET.invoke(connection);
        } catch (Throwable e) {
            throw new IllegalStateException("Cannot reach the socket of WebSocket connection " + connection.id(), e);
        }
    }

    private static MethodHandle lookup() {
        try {
            Method method = WebSocketConnectionBase.class.getDeclaredMethod("webSocket");
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("This Quarkus version has no WebSocketConnectionBase.webSocket()", e);
        }
    }
}
