package dev.switchboard.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.List;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Real local HTTP upstreams for fan-out tests, on their own Vert.x instance and port. Each path behaves
 * in one set way, and every request is recorded (how many at once, how many in total, which connections
 * the caller closed before the answer ended), readable over HTTP at {@code GET /__stats}.
 * <ul>
 * <li>{@code /delay/{ms}}: JSON after {@code ms}, echoing when it arrived and was answered (nanoTime)</li>
 * <li>{@code /status/{code}}: that status with a small JSON body</li>
 * <li>{@code /hang}: never answers</li>
 * <li>{@code /big/{bytes}}: a JSON body of that many bytes, with Content-Length, 64 KiB every 5 ms</li>
 * <li>{@code /endless}: a chunked body that never ends</li>
 * <li>{@code /flaky/{key}/{failures}}: 503 {@code failures} times in a row, then 200, round after round</li>
 * <li>{@code /text}: 200 with a body that is not JSON</li>
 * <li>{@code /gate/{name}}: answers once the gate is open ({@code POST /__gates/{name}/open|close}); open at first</li>
 * <li>{@code /alternate/{key}}: the 1st, 3rd, 5th... request never answers, the 2nd, 4th... answers at once</li>
 * </ul>
 * {@code POST /__reset} clears the counts and the peak.
 */
public final class UpstreamStubs implements AutoCloseable {

    private static final Buffer CHUNK = Buffer.buffer("x".repeat(64 * 1024));

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final Map<String, PathStats> paths = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> flaky = new ConcurrentHashMap<>();
    private final Map<String, Gate> gates = new ConcurrentHashMap<>();

    private static final class PathStats {
        final AtomicInteger count = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final AtomicInteger closedEarly = new AtomicInteger();
        final AtomicLong bytesSent = new AtomicLong();

        JsonObject json() {
            return new JsonObject().put("count", count.get()).put("inFlight", inFlight.get()).put("peak", peak.get())
                    .put("closedEarly", closedEarly.get()).put("bytesSent", bytesSent.get());
        }
    }

    private static final class Gate {
        volatile boolean open = true;
        final List<Runnable> waiting = new CopyOnWriteArrayList<>();
    }

    public UpstreamStubs() {
        try {
            server = vertx.createHttpServer().requestHandler(this::handle)
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the upstream stubs", e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    @Override
    public void close() {
        vertx.close();
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        String[] parts = path.split("/");
        HttpServerResponse response = request.response();
        try {
            if (path.startsWith("/__")) {
                admin(request, parts);
                return;
            }
            PathStats stats = record(request, response, path);
            switch (parts.length > 1 ? parts[1] : "") {
                case "delay" -> {
                    long arrived = System.nanoTime();
                    int concurrent = inFlight.get();
                    long ms = Long.parseLong(parts[2]);
                    vertx.setTimer(Math.max(1, ms), id -> json(response, 200, new JsonObject()
                            .put("path", path).put("delayMs", ms).put("arrivedAtNanos", arrived)
                            .put("answeredAtNanos", System.nanoTime()).put("concurrentOnArrival", concurrent)));
                }
                case "status" -> json(response, Integer.parseInt(parts[2]), new JsonObject().put("status", Integer.parseInt(parts[2])));
                case "hang" -> {
                    // Never answer; the caller has to give up.
                }
                case "big" -> big(response, stats, Long.parseLong(parts[2]));
                case "endless" -> {
                    response.setChunked(true).putHeader("Content-Type", "application/json");
                    response.write("{\"pad\":\"");
                    pump(response, stats);
                }
                case "flaky" -> {
                    int failures = Integer.parseInt(parts[3]);
                    int attempt = flaky.computeIfAbsent(parts[2], k -> new AtomicInteger()).incrementAndGet();
                    if (attempt % (failures + 1) != 0) {
                        json(response, 503, new JsonObject().put("attempt", attempt));
                    } else {
                        json(response, 200, new JsonObject().put("attempt", attempt));
                    }
                }
                case "alternate" -> {
                    int arrival = flaky.computeIfAbsent("alternate/" + parts[2], k -> new AtomicInteger()).incrementAndGet();
                    if (arrival % 2 == 0) {
                        json(response, 200, new JsonObject().put("arrival", arrival));
                    }
                }
                case "text" -> response.putHeader("Content-Type", "text/plain").end("plain words, not JSON");
                // What the caller sent as credentials: an external source must never see the client's.
                case "headers" -> json(response, 200, new JsonObject().put("authorization", request.getHeader("Authorization")));
                case "gate" -> {
                    Gate gate = gates.computeIfAbsent(parts[2], k -> new Gate());
                    Runnable answer = () -> json(response, 200, new JsonObject().put("gate", parts[2]));
                    if (gate.open) {
                        answer.run();
                    } else {
                        gate.waiting.add(answer);
                        if (gate.open) {
                            release(gate);
                        }
                    }
                }
                default -> json(response, 404, new JsonObject().put("error", "no such stub: " + path));
            }
        } catch (RuntimeException e) {
            if (!response.ended()) {
                json(response, 400, new JsonObject().put("error", String.valueOf(e)));
            }
        }
    }

    private PathStats record(HttpServerRequest request, HttpServerResponse response, String path) {
        PathStats stats = paths.computeIfAbsent(path, k -> new PathStats());
        stats.count.incrementAndGet();
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        stats.peak.accumulateAndGet(stats.inFlight.incrementAndGet(), Math::max);
        AtomicBoolean over = new AtomicBoolean();
        // Vert.x calls the end handler when the response is disposed, answered or not; the close
        // handler when the connection goes. Either way it is over once, and early if never ended.
        Runnable finish = () -> {
            if (over.compareAndSet(false, true)) {
                if (!response.ended()) {
                    stats.closedEarly.incrementAndGet();
                }
                inFlight.decrementAndGet();
                stats.inFlight.decrementAndGet();
            }
        };
        response.endHandler(v -> finish.run());
        response.closeHandler(v -> finish.run());
        return stats;
    }

    // Paced (a chunk every few milliseconds) so that a caller who hangs up early is seen doing so.
    private void big(HttpServerResponse response, PathStats stats, long bytes) {
        String head = "{\"pad\":\"";
        String tail = "\"}";
        response.putHeader("Content-Type", "application/json").putHeader("Content-Length", Long.toString(bytes));
        response.write(head);
        long[] left = { bytes - head.length() - tail.length() };
        vertx.setPeriodic(5, timer -> {
            if (response.closed()) {
                vertx.cancelTimer(timer);
                return;
            }
            int size = (int) Math.min(CHUNK.length(), left[0]);
            response.write(size == CHUNK.length() ? CHUNK : CHUNK.getBuffer(0, size));
            left[0] -= size;
            stats.bytesSent.addAndGet(size);
            if (left[0] == 0) {
                vertx.cancelTimer(timer);
                response.end(tail);
            }
        });
    }

    private void pump(HttpServerResponse response, PathStats stats) {
        while (!response.writeQueueFull() && !response.closed()) {
            response.write(CHUNK);
            stats.bytesSent.addAndGet(CHUNK.length());
        }
        if (!response.closed()) {
            response.drainHandler(v -> pump(response, stats));
        }
    }

    private void admin(HttpServerRequest request, String[] parts) {
        HttpServerResponse response = request.response();
        switch (parts[1]) {
            case "__stats" -> {
                JsonObject byPath = new JsonObject();
                paths.forEach((path, stats) -> byPath.put(path, stats.json()));
                json(response, 200, new JsonObject().put("inFlight", inFlight.get()).put("peak", peak.get()).put("paths", byPath));
            }
            case "__reset" -> {
                paths.clear();
                peak.set(inFlight.get());
                json(response, 200, new JsonObject().put("reset", true));
            }
            case "__gates" -> {
                Gate gate = gates.computeIfAbsent(parts[2], k -> new Gate());
                gate.open = "open".equals(parts[3]);
                if (gate.open) {
                    release(gate);
                }
                json(response, 200, new JsonObject().put("gate", parts[2]).put("open", gate.open));
            }
            default -> json(response, 404, new JsonObject().put("error", "no such admin path"));
        }
    }

    private static void release(Gate gate) {
        for (Runnable answer : gate.waiting) {
            if (gate.waiting.remove(answer)) {
                answer.run();
            }
        }
    }

    private static void json(HttpServerResponse response, int status, JsonObject body) {
        if (!response.ended() && !response.closed()) {
            response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
        }
    }
}
