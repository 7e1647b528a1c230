package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstIsAllowedThenTheRate() {
        TokenBucket bucket = new TokenBucket(2, 3, 0);
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).as("burst spent").isFalse();
        assertThat(bucket.tryTake(SECOND / 4)).as("half a token refilled").isFalse();
        assertThat(bucket.tryTake(SECOND / 2)).as("one token after half a second at 2/s").isTrue();
        assertThat(bucket.tryTake(SECOND / 2)).isFalse();
    }

    @Test
    void anIdleBucketRefillsOnlyUpToTheBurst() {
        TokenBucket bucket = new TokenBucket(100, 2, 0);
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isTrue();
        long later = 60 * SECOND;
        assertThat(bucket.tryTake(later)).isTrue();
        assertThat(bucket.tryTake(later)).isTrue();
        assertThat(bucket.tryTake(later)).isFalse();
    }
}
