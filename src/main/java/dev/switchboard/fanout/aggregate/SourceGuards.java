package dev.switchboard.fanout.aggregate;

import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

import dev.switchboard.fanout.aggregate.UpstreamRequests.Reply;
import io.smallrye.faulttolerance.api.TypedGuard;

/**
 * One SmallRye Fault Tolerance guard per source, built from its configuration: a timeout per attempt,
 * retries with backoff (25 ms, doubling, at most 250 ms, none started once the source's timeout has
 * passed) and a circuit breaker. A guard is built once per source and kept, because the circuit
 * breaker's state (its window of recent calls) lives in it.
 */
@ApplicationScoped
class SourceGuards {

    private static final TypeLiteral<CompletionStage<Reply>> REPLY = new TypeLiteral<>() {
    };

    private final Map<UpstreamSource, TypedGuard<CompletionStage<Reply>>> guards = new ConcurrentHashMap<>();

    TypedGuard<CompletionStage<Reply>> of(UpstreamSource source) {
        return guards.computeIfAbsent(source, SourceGuards::build);
    }

    private static TypedGuard<CompletionStage<Reply>> build(UpstreamSource source) {
        long timeoutMillis = source.timeout().toMillis();
        TypedGuard.Builder<CompletionStage<Reply>> guard = TypedGuard.create(REPLY)
                .withDescription("fan-out source " + source.name())
                // The guarded call already runs on the event loop and never blocks.
                .withThreadOffload(false)
                .withTimeout().duration(timeoutMillis, ChronoUnit.MILLIS).done();
        if (source.retries() > 0) {
            guard = guard.withRetry()
                    .maxRetries(source.retries())
                    .delay(25, ChronoUnit.MILLIS)
                    .jitter(0, ChronoUnit.MILLIS)
                    .maxDuration(timeoutMillis, ChronoUnit.MILLIS)
                    .withExponentialBackoff().factor(2).maxDelay(250, ChronoUnit.MILLIS).done()
                    .whenException(SourceFailures::retryable)
                    .done();
        }
        UpstreamSource.Breaker breaker = source.breaker();
        if (breaker.enabled()) {
            guard = guard.withCircuitBreaker()
                    .requestVolumeThreshold(breaker.requestVolumeThreshold())
                    .failureRatio(breaker.failureRatio())
                    .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(breaker.successThreshold())
                    .when(SourceFailures::upstreamFault)
                    .done();
        }
        return guard.build();
    }
}
