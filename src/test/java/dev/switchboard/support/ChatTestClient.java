package dev.switchboard.support;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.json.JsonObject;

/**
 * A real WebSocket chat client over the network (the JDK's java.net.http client), recording every frame
 * it receives and how the server closed it.
 */
public final class ChatTestClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern QUERY_NAME = Pattern.compile("[?&]name=([^&]*)");

    private final String name;
    private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
    private final BlockingQueue<JsonObject> unread = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile WebSocket socket;
    private final StringBuilder partial = new StringBuilder();
    private volatile String closeReason;
    private final AtomicInteger sent = new AtomicInteger();

    private ChatTestClient(String name) {
        this.name = name;
    }

    /** Connects to the room as the test user {@code name} ({@link Tokens#chat}), its token in the Authorization header. */
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

    /**
     * Connects without waiting, for opening many at once. A {@code name} in the query names the test user whose
     * token is sent ({@link #authorization}) unless {@code headers} carry an Authorization of their own; the server
     * itself ignores that parameter (who speaks is the token's).
     */
    public static CompletableFuture<ChatTestClient> connectAsync(int port, String pathAndQuery, Map<String, String> headers) {
        String name = queryName(pathAndQuery);
        ChatTestClient client = new ChatTestClient(name);
        // The JDK client has its listener before the handshake and pulls frames one by one, so a
        // frame (or a close) the server sends at once is never missed.
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30));
        authorization(pathAndQuery, headers).forEach(builder::header);
        return builder.buildAsync(URI.create("ws://localhost:" + port + pathAndQuery), client.listener())
                .thenApply(ws -> {
                    client.socket = ws;
                    return client;
                });
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    JsonObject frame = new JsonObject(partial.toString());
                    partial.setLength(0);
                    DocumentedProtocol.chatFrame(frame.getMap());
                    frames.add(frame);
                    unread.add(frame);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closeReason = reason;
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete(1006);
            }
        };
    }

    /** The HTTP status the server refuses this upgrade with; fails when the upgrade succeeds. */
    public static int refusedUpgrade(int port, String pathAndQuery, Map<String, String> headers) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30));
        headers.forEach(builder::header);
        try {
            builder.buildAsync(URI.create("ws://localhost:" + port + pathAndQuery), new WebSocket.Listener() {
            }).join().abort();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
        throw new AssertionError("The upgrade to " + pathAndQuery + " was accepted");
    }

    /** The display names a welcome lists as present, in its order. */
    public static List<String> presentNames(JsonObject welcome) {
        return welcome.getJsonArray("presence").stream().map(p -> ((JsonObject) p).getString("name")).toList();
    }

    /** The headers with, when they have none and the query names a user, that test user's bearer token. */
    public static Map<String, String> authorization(String pathAndQuery, Map<String, String> headers) {
        String name = queryName(pathAndQuery);
        if (name == null || headers.keySet().stream().anyMatch("Authorization"::equalsIgnoreCase)) {
            return headers;
        }
        Map<String, String> withToken = new HashMap<>(headers);
        withToken.put("Authorization", "Bearer " + Tokens.chat(name));
        return withToken;
    }

    private static String queryName(String pathAndQuery) {
        Matcher name = QUERY_NAME.matcher(pathAndQuery);
        return name.find() ? URLDecoder.decode(name.group(1), StandardCharsets.UTF_8) : null;
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** How many frames this client has sent. */
    public int sent() {
        return sent.get();
    }

    public String name() {
        return name;
    }

    /** Sends a text frame as is (JSON or plain text). */
    public ChatTestClient sendRaw(String frame) {
        socket.sendText(frame, true).orTimeout(30, TimeUnit.SECONDS).join();
        sent.incrementAndGet();
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
                    throw new AssertionError(name + " received no " + what + " frame; frames so far: " + frames
                            + (closed.isDone() ? "; closed with " + closed.join() + " " + closeReason : "; still open"));
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
        if (ws != null && !closed.isDone()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
            try {
                closed.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                ws.abort();
            }
        }
    }

    public static URI base(int port) {
        return URI.create("http://localhost:" + port);
    }
}
