package dev.switchboard.support;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/**
 * A real WebSocket chat client over the network (Vert.x, its own event loops), recording every frame
 * it receives and how the server closed it.
 */
public final class ChatTestClient implements AutoCloseable {

    private static final Vertx VERTX = Vertx.vertx();
    private static final WebSocketClient CLIENT = VERTX.createWebSocketClient(new WebSocketClientOptions()
            .setMaxConnections(20_000).setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22)
            .setConnectTimeout(30_000));

    private final String name;
    private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
    private final BlockingQueue<JsonObject> unread = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile WebSocket socket;
    private volatile String closeReason;

    private ChatTestClient(String name) {
        this.name = name;
    }

    public static ChatTestClient connect(int port, String room, String name) {
        return connect(port, "/chat/" + room + "?name=" + encode(name), Map.of());
    }

    public static ChatTestClient connect(int port, String pathAndQuery, Map<String, String> headers) {
        try {
            return connectAsync(port, pathAndQuery, headers).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("Could not connect to " + pathAndQuery, e);
        }
    }

    /** Connects without waiting, for opening many at once. */
    public static CompletableFuture<ChatTestClient> connectAsync(int port, String pathAndQuery, Map<String, String> headers) {
        String name = pathAndQuery.replaceAll(".*[?&]name=([^&]*).*", "$1");
        ChatTestClient client = new ChatTestClient(name);
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        headers.forEach(h::add);
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("localhost").setPort(port)
                .setURI(pathAndQuery).setHeaders(h);
        CompletableFuture<ChatTestClient> connected = new CompletableFuture<>();
        // Handlers go on before the handshake: the server may send (or close) at once, before a
        // callback on the connect future would run.
        ClientWebSocket ws = CLIENT.webSocket();
        client.socket = ws;
        ws.textMessageHandler(text -> {
            JsonObject frame = new JsonObject(text);
            client.frames.add(frame);
            client.unread.add(frame);
        });
        ws.closeHandler(v -> {
            client.closeReason = ws.closeReason();
            Short code = ws.closeStatusCode();
            client.closed.complete(code == null ? 1006 : (int) code);
        });
        ws.connect(options).onComplete(result -> {
            if (result.failed()) {
                connected.completeExceptionally(result.cause());
            } else {
                connected.complete(client);
            }
        });
        return connected;
    }

    public static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    public String name() {
        return name;
    }

    /** Sends a text frame as is (JSON or plain text). */
    public ChatTestClient sendRaw(String frame) {
        socket.writeTextMessage(frame).toCompletionStage().toCompletableFuture().join();
        return this;
    }

    /** Sends {"type":"message","text":...}. */
    public ChatTestClient say(String text) {
        return sendRaw(new JsonObject().put("type", "message").put("text", text).encode());
    }

    /** The next unread frame of this type; frames of other types before it are skipped (but kept in {@link #frames()}). */
    public JsonObject next(String type) {
        return next(f -> type.equals(f.getString("type")), type);
    }

    public JsonObject next(Predicate<JsonObject> wanted, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonObject frame = left > 0 ? unread.poll(left, TimeUnit.NANOSECONDS) : null;
                if (frame == null) {
                    throw new AssertionError(name + " received no " + what + " frame; frames so far: " + frames);
                }
                if (wanted.test(frame)) {
                    return frame;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public JsonObject welcome() {
        return next("welcome");
    }

    /** Every frame received so far, in order. */
    public List<JsonObject> frames() {
        return new ArrayList<>(frames);
    }

    public List<JsonObject> frames(String type) {
        return frames.stream().filter(f -> type.equals(f.getString("type"))).toList();
    }

    /** Ids of every message frame received so far, in order. */
    public List<Long> messageIds() {
        return frames("message").stream().map(f -> f.getLong("id")).toList();
    }

    /** Waits until the server closes the connection; returns the close code. */
    public int awaitClose() {
        try {
            return closed.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(name + " was not closed; frames so far: " + frames, e);
        }
    }

    public String closeReason() {
        return closeReason;
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        WebSocket ws = socket;
        if (ws != null && !ws.isClosed()) {
            ws.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
    }

    public static URI base(int port) {
        return URI.create("http://localhost:" + port);
    }
}
