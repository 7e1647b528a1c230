package dev.switchboard.data;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Data settings. */
@ConfigMapping(prefix = "switchboard.data")
public interface DataConfig {

    /**
     * How long an {@code Idempotency-Key} is remembered after its create. A retry within it gets the first
     * answer again; after it, the same key starts a new create. Long enough to outlast any client's retries.
     */
    @WithDefault("24h")
    @DurationMin(seconds = 1)
    Duration idempotencyKeyTtl();
}
