package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The token bucket on its own, driven by a made-up clock instead of sleeping. */
class RateLimitTest {

    private static final long START = 1_000_000_000L;

    @Test
    void allowsTheBurstThenRefuses() {
        RateLimit limit = new RateLimit();
        for (int i = 0; i < 3; i++) {
            assertThat(limit.tryAcquire(START, 2.0, 3)).as("message %d of the burst", i + 1).isTrue();
        }
        assertThat(limit.tryAcquire(START, 2.0, 3)).as("one past the burst").isFalse();
    }

    @Test
    void refillsAtTheRateUpToTheBurst() {
        RateLimit limit = new RateLimit();
        for (int i = 0; i < 3; i++) {
            assertThat(limit.tryAcquire(START, 2.0, 3)).isTrue();
        }
        long quarterSecond = START + TimeUnit.MILLISECONDS.toNanos(250);
        assertThat(limit.tryAcquire(quarterSecond, 2.0, 3)).as("half a token after 250 ms at 2/s").isFalse();
        long halfSecond = START + TimeUnit.MILLISECONDS.toNanos(500);
        assertThat(limit.tryAcquire(halfSecond, 2.0, 3)).as("one token after 500 ms at 2/s").isTrue();
        assertThat(limit.tryAcquire(halfSecond, 2.0, 3)).isFalse();

        long muchLater = halfSecond + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; i < 3; i++) {
            assertThat(limit.tryAcquire(muchLater, 2.0, 3)).as("refilled to the burst, no more").isTrue();
        }
        assertThat(limit.tryAcquire(muchLater, 2.0, 3)).isFalse();
    }
}
