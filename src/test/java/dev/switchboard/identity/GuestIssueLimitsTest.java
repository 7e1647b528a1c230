package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The bound on guest tokens per address, without a server: a burst per window, then the seconds to wait. */
class GuestIssueLimitsTest {

    @Test
    void aBurstPerAddressPerWindowThenTheWaitUntilItEnds() {
        long start = System.currentTimeMillis();
        GuestIssueLimits limits = new GuestIssueLimits(2, Duration.ofSeconds(60));
        assertThat(limits.take("10.0.0.1", start)).isZero();
        assertThat(limits.take("10.0.0.1", start + 1)).isZero();
        long wait = limits.take("10.0.0.1", start + 1000);
        assertThat(wait).isBetween(58L, 60L);
        assertThat(limits.take("10.0.0.2", start + 1000)).as("another address has its own count").isZero();
        assertThat(limits.take("10.0.0.1", start + 61_000)).as("a new window").isZero();
    }
}
