package dev.switchboard.support;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

/**
 * A TCP proxy in front of a real server that a test can cut, to cause a genuine network outage:
 * {@link #cut()} closes every connection through it and refuses new ones (accepts and closes them at
 * once) until {@link #restore()}. Runs on its own Vert.x instance, so the application's loops see
 * only what a real outage would show them.
 */
public final class TcpProxy implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final NetClient client = vertx.createNetClient();
    private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
    private final String targetHost;
    private final int targetPort;
    private final NetServer server;
    private volatile boolean cut;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            server = vertx.createNetServer().connectHandler(this::accept).listen(0, "localhost")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the TCP proxy", e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    private void accept(NetSocket front) {
        if (cut) {
            front.close();
            return;
        }
        front.pause();
        open.add(front);
        front.closeHandler(x -> open.remove(front));
        client.connect(targetPort, targetHost).onComplete(connected -> {
            if (connected.failed() || cut || !open.contains(front)) {
                front.close();
                if (connected.succeeded()) {
                    connected.result().close();
                }
                return;
            }
            NetSocket back = connected.result();
            open.add(back);
            front.closeHandler(x -> {
                open.remove(front);
                back.close();
            });
            back.closeHandler(x -> {
                open.remove(back);
                front.close();
            });
            front.pipeTo(back);
            back.pipeTo(front);
        });
    }

    /** Closes every connection through the proxy and refuses new ones, until {@link #restore()}. */
    public void cut() {
        cut = true;
        for (NetSocket socket : Set.copyOf(open)) {
            socket.close();
        }
    }

    /** Lets connections through again. */
    public void restore() {
        cut = false;
    }

    @Override
    public void close() {
        cut();
        vertx.close();
    }
}
