package dev.switchboard.fanout.aggregate;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.fanout.aggregate.SourceOutcome.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The aggregate meters: calls and outcomes per source, permits in use, requests refused. */
@ApplicationScoped
public class AggregateMetrics {

    private final MeterRegistry registry;
    private final Map<String, SourceMeters> sources = new ConcurrentHashMap<>();

    AggregateMetrics(MeterRegistry registry) {
        this.registry = registry;
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
}
