package dev.switchboard.fanout.aggregate;

import java.time.Duration;
import java.util.List;

/**
 * One named upstream. {@code url} is either absolute or a path on this service (resolved against
 * the port the server really listens on, see {@link LocalServer}).
 *
 * @param cacheTtl how long an ok answer is reused; null: not cached (concurrent calls still share one)
 * @param hedgeAfter when a second call is sent if the first has not answered; null: never
 * @param fields top-level keys of the JSON body kept; null: all
 */
public record UpstreamSource(String name, String url, Duration timeout, int retries, Breaker breaker,
        Duration cacheTtl, Duration hedgeAfter, List<String> fields) {

    /** The circuit breaker's settings; see {@link FanoutConfig.CircuitBreaker}. */
    public record Breaker(boolean enabled, int requestVolumeThreshold, double failureRatio, Duration delay,
            int successThreshold) {

        public static final Breaker DEFAULT = new Breaker(true, 20, 0.5, Duration.ofSeconds(5), 1);
    }

    /** A source with every optional behaviour at its default. */
    public static UpstreamSource plain(String name, String url, Duration timeout, int retries) {
        return new UpstreamSource(name, url, timeout, retries, Breaker.DEFAULT, null, null, null);
    }

    public boolean isLocal() {
        return url.startsWith("/");
    }

    public boolean cached() {
        return cacheTtl != null;
    }
}
