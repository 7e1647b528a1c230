package dev.switchboard.fanout.aggregate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * Calls many sources at once and combines what came back. The total time is that of the slowest
 * source (bounded by its deadline), never the sum, and no thread waits meanwhile.
 */
@ApplicationScoped
public class FanoutService {

    private final InFlightLimiter limiter;
    private final SourceClient client;

    FanoutService(InFlightLimiter limiter, SourceClient client) {
        this.limiter = limiter;
        this.client = client;
    }

    /**
     * Calls every source in {@code sources} concurrently, once permits for all of them are free.
     *
     * @param deadline caps the whole call, queueing included; null for the sources' own timeouts only
     * @return never a failure for upstream trouble; fails with a 503 problem when the in-flight bound is reached
     */
    public Uni<Aggregate> aggregate(List<UpstreamSource> sources, Duration deadline) {
        long start = System.nanoTime();
        long deadlineNanos = deadline == null ? SourceClient.NO_DEADLINE : start + deadline.toNanos();
        Duration maxWait = deadline == null ? Duration.ofDays(1) : deadline;
        return limiter.acquire(sources.size(), maxWait).onItem().transformToUni(lease -> {
            List<Uni<SourceOutcome>> calls = new ArrayList<>(sources.size());
            for (UpstreamSource source : sources) {
                // Each permit goes back as soon as its own call is over, not when the slowest is.
                calls.add(client.call(source, start, deadlineNanos).onTermination().invoke(lease::releaseOne));
            }
            return Uni.join().all(calls).andFailFast()
                    .map(outcomes -> new Aggregate(outcomes.stream().allMatch(SourceOutcome::ok),
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), outcomes))
                    .onTermination().invoke(lease::releaseAll);
        });
    }
}
