package dev.switchboard.chat;

/**
 * A token bucket for one connection: up to {@code burst} messages at once, refilled at
 * {@code perSecond}. Not thread safe: it is only used on the connection's own event loop.
 */
final class RateLimit {

    private double tokens = -1;
    private long refilledAt;

    /** Takes a token at {@code now} (nanoseconds, as from {@link System#nanoTime()}); the first call starts full. */
    boolean tryAcquire(long now, double perSecond, int burst) {
        if (tokens < 0) {
            tokens = burst;
        } else {
            tokens = Math.min(burst, tokens + (now - refilledAt) * perSecond / 1e9);
        }
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
