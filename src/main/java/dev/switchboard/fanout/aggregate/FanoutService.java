package dev.switchboard.fanout.aggregate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * Calls many sources at once and combines what came back. The total time is that of the slowest
 * source (bounded by its deadline), never the sum, and no thread waits meanwhile.
 * <p>
 * The calls are plain Vert.x futures joined by a counter, and only the request as a whole is a
 * {@code Uni}: each Mutiny operator costs a context-propagation capture, once per source per request.
 * A client that goes away does not cut its calls short: they end within their timeouts, and give their
 * permits back then.
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
     * @param authorization the caller's {@code Authorization} header, passed to the sources on this service; may be null
     * @return never a failure for upstream trouble; fails with a 503 problem when the in-flight bound is reached
     */
    public Uni<Aggregate> aggregate(List<UpstreamSource> sources, Duration deadline, String authorization) {
        long start = System.nanoTime();
        long deadlineNanos = deadline == null ? SourceClient.NO_DEADLINE : start + deadline.toNanos();
        Duration maxWait = deadline == null ? Duration.ofDays(1) : deadline;
        return limiter.acquire(sources.size(), maxWait).onItem().transformToUni(lease -> Uni.createFrom().emitter(emitter -> {
            SourceOutcome[] outcomes = new SourceOutcome[sources.size()];
            AtomicInteger pending = new AtomicInteger(outcomes.length);
            for (int i = 0; i < outcomes.length; i++) {
                int index = i;
                client.call(sources.get(i), authorization, start, deadlineNanos).onComplete(done -> {
                    // Each permit goes back as soon as its own call is over, not when the slowest is.
                    lease.releaseOne();
                    outcomes[index] = done.result();
                    if (pending.decrementAndGet() == 0) {
                        List<SourceOutcome> all = List.of(outcomes);
                        emitter.complete(new Aggregate(all.stream().allMatch(SourceOutcome::ok),
                                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), all));
                    }
                });
            }
        }));
    }
}
