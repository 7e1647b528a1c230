package dev.switchboard.fanout.aggregate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Fan-out settings. Sources are named here and only here: a request can pick among them by name but
 * never supply a URL, so the service cannot be turned into an open proxy.
 */
@ConfigMapping(prefix = "switchboard.fanout")
public interface FanoutConfig {

    /** Upstreams by name; when empty, this service's own users, products and orders lists. */
    Map<String, Source> sources();

    /** Upstream calls allowed at once across all requests. */
    @WithDefault("256")
    @Min(1)
    int maxInFlight();

    /** Requests allowed to wait for permits when the bound is reached; beyond that, 503 at once. */
    @WithDefault("512")
    @Min(0)
    int maxQueued();

    /** How long a request may wait in that queue before it is answered with 503. */
    @WithDefault("250ms")
    Duration queueTimeout();

    /** Upstream bodies larger than this end as an error outcome; they are never buffered further. */
    @WithDefault("1M")
    MemorySize maxBodySize();

    interface Source {

        /** Absolute http(s) URL, or a path such as {@code /api/users} on this service itself. */
        @NotBlank
        String url();

        /** Deadline of each attempt; no retry starts once this much time has passed since the first. */
        @WithDefault("2s")
        Duration timeout();

        /** Extra attempts after a connection error or a 5xx answer, inside the same deadline. */
        @WithDefault("0")
        @Min(0)
        @Max(10)
        int retries();

        /** Stops calling a source that keeps failing, for a while. */
        CircuitBreaker circuitBreaker();

        /** How long an ok answer is reused; absent: every call goes upstream (concurrent ones still share one). */
        Optional<Duration> cacheTtl();

        /** When the first call has not answered after this long, a second one is sent; the first answer wins. */
        Optional<Duration> hedgeAfter();

        /** Top-level keys of the upstream's JSON object to keep; absent: the whole body. */
        Optional<List<@NotBlank String>> fields();
    }

    interface CircuitBreaker {

        @WithDefault("true")
        boolean enabled();

        /** Calls in the rolling window the failure ratio is computed over. */
        @WithDefault("20")
        @Min(1)
        int requestVolumeThreshold();

        /** Share of failed calls in the window (connection errors, 5xx, timeouts) that opens the circuit. */
        @WithDefault("0.5")
        @DecimalMin("0.01")
        @DecimalMax("1.0")
        double failureRatio();

        /** How long the circuit stays open before one trial call is let through. */
        @WithDefault("5s")
        Duration delay();

        /** Successful trial calls needed to close the circuit again. */
        @WithDefault("1")
        @Min(1)
        int successThreshold();
    }
}
