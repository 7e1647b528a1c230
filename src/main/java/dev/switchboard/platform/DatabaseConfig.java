package dev.switchboard.platform;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The reactive pool and the waits PostgreSQL enforces on each of its connections. The timeouts are
 * PostgreSQL settings sent when a pooled connection opens (application.properties passes them as
 * {@code quarkus.datasource.reactive.additional-properties}), so they hold whichever query runs; hence
 * the PostgreSQL form, a number with {@code ms} or {@code s}.
 */
@ConfigMapping(prefix = "switchboard.database")
public interface DatabaseConfig {

    String TIMEOUT = "[0-9]{1,9}(ms|s)";

    /** Connections in the reactive pool (each replica also holds one for the chat listener). */
    @WithDefault("32")
    @Min(1)
    int poolSize();

    /** Longest any statement may run before PostgreSQL cancels it. */
    @WithDefault("5s")
    @Pattern(regexp = TIMEOUT)
    String statementTimeout();

    /** Longest a statement waits for a row or table lock. */
    @WithDefault("2s")
    @Pattern(regexp = TIMEOUT)
    String lockTimeout();

    /** A transaction left idle this long (its client gone quiet) is ended by PostgreSQL, releasing its locks. */
    @WithDefault("10s")
    @Pattern(regexp = TIMEOUT)
    String idleInTransactionTimeout();

    /** {@link #statementTimeout()} as a duration, for callers that stop waiting themselves. */
    default Duration statementTimeoutDuration() {
        String value = statementTimeout();
        return value.endsWith("ms") ? Duration.ofMillis(Long.parseLong(value, 0, value.length() - 2, 10))
                : Duration.ofSeconds(Long.parseLong(value, 0, value.length() - 1, 10));
    }
}
