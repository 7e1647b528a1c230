package dev.switchboard.fanout.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;

/** The stream meters: open streams, events sent, countdown ticks. */
// Started eagerly so that the gauge is on /q/metrics (at zero) before the first stream.
@Startup
@ApplicationScoped
public class StreamMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger activeStreams = new AtomicInteger();
    private final Map<String, Counter> streamEvents = new ConcurrentHashMap<>();
    private final Counter countdownTicks;

    StreamMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("switchboard.fanout.streams.active", activeStreams, AtomicInteger::get)
                .description("Server-sent event streams currently open")
                .register(registry);
        this.countdownTicks = Counter.builder("switchboard.fanout.countdown.ticks")
                .description("Countdown timer firings (stops when streams stop)")
                .register(registry);
    }

    void countdownTick() {
        countdownTicks.increment();
    }

    /** Counts the stream among the active ones from subscription until it ends, fails or is cancelled. */
    <T> Multi<T> trackStream(String kind, Multi<T> stream) {
        // Stream kinds are constants of StreamResource, so the tag values are bounded.
        Counter events = streamEvents.computeIfAbsent(kind, k -> Counter.builder("switchboard.fanout.stream.events")
                .description("Events sent on server-sent event streams")
                .tag("stream", k)
                .register(registry));
        return stream
                .onSubscription().invoke(subscription -> activeStreams.incrementAndGet())
                .onItem().invoke(item -> events.increment())
                .onTermination().invoke(() -> activeStreams.decrementAndGet());
    }
}
