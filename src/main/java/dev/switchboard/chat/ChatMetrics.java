package dev.switchboard.chat;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The chat's meters, named {@code switchboard.chat.*}; a singleton, so they are registered at start-up. */
@Singleton
class ChatMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger connections = new AtomicInteger();
    private final Counter messagesIn;
    private final Counter messagesOut;
    private final Counter slowConsumerCloses;
    private final Timer broadcastLatency;
    private final Map<ConnectionEnding, Counter> closed = new EnumMap<>(ConnectionEnding.class);

    ChatMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("switchboard.chat.connections", connections);
        this.messagesIn = registry.counter("switchboard.chat.messages.in");
        this.messagesOut = registry.counter("switchboard.chat.messages.out");
        this.slowConsumerCloses = registry.counter("switchboard.chat.slow.consumer.closes");
        this.broadcastLatency = Timer.builder("switchboard.chat.broadcast.latency")
                .description("From a message received to its frames queued for every connection of the room")
                .publishPercentiles(0.5, 0.99).register(registry);
        // Every tag from the start, at zero, so that rates and alerts work before the first ending of a kind.
        for (ConnectionEnding how : ConnectionEnding.values()) {
            closed.put(how, Counter.builder("switchboard.chat.connections.closed").tag("how", how.tag)
                    .description("Chat connections that ended, by how they ended").register(registry));
        }
    }

    void connected() {
        connections.incrementAndGet();
    }

    void disconnected(ConnectionEnding how) {
        connections.decrementAndGet();
        closed.get(how).increment();
    }

    void stored(int messages) {
        messagesIn.increment(messages);
    }

    void sent(int frames) {
        messagesOut.increment(frames);
    }

    void slowConsumerClosed() {
        slowConsumerCloses.increment();
    }

    void broadcast(long receivedAtNanos, long nowNanos) {
        broadcastLatency.record(nowNanos - receivedAtNanos, TimeUnit.NANOSECONDS);
    }

    void rejected(String reason) {
        registry.counter("switchboard.chat.rejected", "reason", reason).increment();
    }
}
