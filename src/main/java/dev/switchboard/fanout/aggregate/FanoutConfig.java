package dev.switchboard.fanout.aggregate;

import java.time.Duration;
import java.util.Map;

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

        /** Deadline for the whole call, retries included. */
        @WithDefault("2s")
        Duration timeout();

        /** Extra attempts after a connection error or a 5xx answer, inside the same deadline. */
        @WithDefault("0")
        @Min(0)
        @Max(10)
        int retries();
    }
}
