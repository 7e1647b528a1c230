package dev.switchboard.identity;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * How many guest tokens each client address got in the current window (a fixed window: counts start again
 * when it ends, so the map never holds more than one window's addresses). Any thread.
 */
@ApplicationScoped
public class GuestIssueLimits {

    private final int perAddress;
    private final long windowMillis;
    private volatile long windowStart;
    private volatile ConcurrentHashMap<String, AtomicInteger> issued = new ConcurrentHashMap<>();

    @Inject
    GuestIssueLimits(SecurityConfig config) {
        this(config.guests().perAddress(), config.guests().window());
    }

    GuestIssueLimits(int perAddress, Duration window) {
        this.perAddress = perAddress;
        this.windowMillis = window.toMillis();
        this.windowStart = System.currentTimeMillis();
    }

    /** Counts one token for {@code address}: 0 when it may have it, else the seconds until it may ask again. */
    long take(String address, long nowMillis) {
        long start = windowStart;
        if (nowMillis - start >= windowMillis) {
            synchronized (this) {
                if (windowStart == start) {
                    windowStart = nowMillis;
                    issued = new ConcurrentHashMap<>();
                }
            }
        }
        int count = issued.computeIfAbsent(address, key -> new AtomicInteger()).incrementAndGet();
        if (count <= perAddress) {
            return 0;
        }
        return Math.max(1, (windowStart + windowMillis - nowMillis + 999) / 1000);
    }
}
