package dev.switchboard.fanout;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.fanout.SourceOutcome.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;

/** The fan-out meters, all named {@code switchboard.fanout.*}. */
// Started eagerly so that every gauge is on /q/metrics (at zero) before first use.
@Startup
@ApplicationScoped
public class FanoutMetrics {

    private final MeterRegistry registry;
    private final Map<String, SourceMeters> sources = new ConcurrentHashMap<>();
    private final AtomicInteger activeStreams = new AtomicInteger();
    private final Map<String, Counter> streamEvents = new ConcurrentHashMap<>();

    FanoutMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("switchboard.fanout.streams.active", activeStreams, AtomicInteger::get)
                .description("Server-sent event streams currently open")
                .register(registry);
    }

    private record SourceMeters(Timer calls, Map<Outcome, Counter> outcomes) {
    }

    void recordCall(String source, Outcome outcome, long elapsedNanos) {
        SourceMeters meters = sources.computeIfAbsent(source, this::metersFor);
        meters.calls().record(elapsedNanos, TimeUnit.NANOSECONDS);
        meters.outcomes().get(outcome).increment();
    }

    // Source names come from configuration only, so the tag values are bounded.
    private SourceMeters metersFor(String source) {
        Timer calls = Timer.builder("switchboard.fanout.source.calls")
                .description("Duration of calls to one upstream source, retries included")
                .tag("source", source)
                .register(registry);
        Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, Counter.builder("switchboard.fanout.source.outcomes")
                    .description("Upstream calls by how they ended")
                    .tag("source", source)
                    .tag("outcome", outcome.label())
                    .register(registry));
        }
        return new SourceMeters(calls, outcomes);
    }

    Counter rejected(String reason) {
        return Counter.builder("switchboard.fanout.rejected")
                .description("Aggregate requests answered 503 because the in-flight bound was reached")
                .tag("reason", reason)
                .register(registry);
    }

    MeterRegistry registry() {
        return registry;
    }

    /** Counts the stream among the active ones from subscription until it ends, fails or is cancelled. */
    <T> Multi<T> trackStream(String kind, Multi<T> stream) {
        Counter events = streamEvents.computeIfAbsent(kind, k -> Counter.builder("switchboard.fanout.stream.events")
                .description("Events sent on server-sent event streams")
                .tag("stream", k)
                .register(registry));
        return stream
                .onSubscription().invoke(subscription -> activeStreams.incrementAndGet())
                .onItem().invoke(item -> events.increment())
                .onTermination().invoke(() -> activeStreams.decrementAndGet());
    }

    int activeStreams() {
        return activeStreams.get();
    }
}
