package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * The outbox over a real Vert.x WebSocket on loopback: order, bounds in frames and bytes, late encoding, and
 * one writing task per event loop for many outboxes.
 */
class OutboxTest {

    private Vertx vertx;
    private HttpServer server;
    private final CompletableFuture<ServerWebSocket> accepted = new CompletableFuture<>();
    private final CompletableFuture<Context> serverContext = new CompletableFuture<>();
    private WebSocket client;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void connect() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().webSocketHandler(socket -> {
            serverContext.complete(Vertx.currentContext());
            accepted.complete(socket);
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        client = vertx.createWebSocketClient(new WebSocketClientOptions().setReceiveBufferSize(4096))
                .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.actualPort()).setURI("/"))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        client.textMessageHandler(received::add);
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private Outbox outbox(int maxFrames, long maxBytes) throws Exception {
        return new Outbox(accepted.get(10, TimeUnit.SECONDS), new LoopWriters().writerFor(serverContext.get(10, TimeUnit.SECONDS)),
                maxFrames, maxBytes);
    }

    private static Frame frame(String text) {
        return Frame.of(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void framesArriveInOrderAndTheCountsReturnToZero() throws Exception {
        Outbox outbox = outbox(1000, 1 << 20);
        assertThat(outbox.offer(Frame.encodedLater(() -> "first, encoded late".getBytes(StandardCharsets.UTF_8)))).isTrue();
        for (int i = 0; i < 200; i++) {
            assertThat(outbox.offer(frame("frame " + i))).isTrue();
        }
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() == 201);
        assertThat(received.get(0)).isEqualTo("first, encoded late");
        for (int i = 0; i < 200; i++) {
            assertThat(received.get(i + 1)).isEqualTo("frame " + i);
        }
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(outbox::flushed);
        assertThat(outbox.bytes()).isZero();
    }

    @Test
    void framesOfferedToManyOutboxesOfOneLoopAreWrittenByOneTask() throws Exception {
        Context context = serverContext.get(10, TimeUnit.SECONDS);
        ServerWebSocket socket = accepted.get(10, TimeUnit.SECONDS);
        LoopWriters.LoopWriter writer = new LoopWriters().writerFor(context);
        List<Outbox> outboxes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            outboxes.add(new Outbox(socket, writer, 1000, 1 << 20));
        }
        // The loop is held while the broadcast is offered, as when it is busy writing the previous one.
        CountDownLatch offered = new CountDownLatch(1);
        context.runOnContext(v -> {
            try {
                offered.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < outboxes.size(); i++) {
            assertThat(outboxes.get(i).offer(frame("to " + i))).isTrue();
        }
        offered.countDown();
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() == outboxes.size());
        assertThat(received).containsExactlyElementsOf(IntStream.range(0, outboxes.size()).mapToObj(i -> "to " + i).toList());
        assertThat(writer.tasks()).as("tasks run on the loop for 50 outboxes").isEqualTo(1);
    }

    @Test
    void aReaderThatStopsMakesTheOutboxRefuseAtTheByteBound() throws Exception {
        client.pause();
        long maxBytes = 256 * 1024;
        Outbox outbox = outbox(1_000_000, maxBytes);
        String text = "z".repeat(2000);
        int offered = 0;
        while (outbox.offer(frame(text))) {
            offered++;
            assertThat(offered).as("refused before 100 MB were offered").isLessThan(50_000);
        }
        // What waits inside the server (outbox, Vert.x, Netty) stays within the bound plus one frame,
        // whatever the kernel took.
        assertThat(outbox.bytes()).isPositive().isLessThanOrEqualTo(maxBytes + text.length());

        client.resume();
        int total = offered;
        Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> received.size() == total);
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(outbox::flushed);
        assertThat(outbox.offer(frame("again"))).as("room again once drained").isTrue();
    }

    @Test
    void theFrameBoundHoldsToo() throws Exception {
        client.pause();
        Outbox outbox = outbox(50, 1 << 30);
        int offered = 0;
        while (outbox.offer(frame("x".repeat(4000)))) {
            offered++;
            assertThat(offered).isLessThan(100_000);
        }
        assertThat(outbox.frames()).isBetween(1, 50);
        client.resume();
    }

    @Test
    void aClosedOutboxDropsWhatWaitsAndTakesNothingMore() throws Exception {
        client.pause();
        Outbox outbox = outbox(1_000_000, 64 * 1024);
        while (outbox.offer(frame("w".repeat(1000)))) {
            // fill it
        }
        outbox.close();
        assertThat(outbox.offer(frame("after close"))).as("no overflow reported once closed").isTrue();
        // A last frame written straight to the socket, on its own loop: whatever the outbox still wrote
        // arrives before it.
        ServerWebSocket socket = accepted.get(10, TimeUnit.SECONDS);
        serverContext.get(10, TimeUnit.SECONDS).runOnContext(v -> socket.writeTextMessage("end"));
        client.resume();
        Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> received.contains("end"));
        assertThat(received).doesNotContain("after close");
    }
}
