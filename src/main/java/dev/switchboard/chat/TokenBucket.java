package dev.switchboard.chat;

/**
 * A connection's send allowance: {@code burst} messages at once, refilled at {@code perSecond}. Only the
 * connection's own event loop uses it, so it needs no synchronisation.
 */
final class TokenBucket {

    private final double perSecond;
    private final int burst;
    private double tokens;
    private long refilledAt;

    TokenBucket(double perSecond, int burst, long nowNanos) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = nowNanos;
    }

    /** Takes one token if there is one. */
    boolean tryTake(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - refilledAt) * perSecond / 1e9);
        refilledAt = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
