package dev.switchboard.chat;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many chat connections this replica holds, in all, per client address and per user, so that one client
 * (or a flood of them, or one token shared around) cannot take every file descriptor and byte of memory.
 * Any thread.
 */
final class ConnectionLimits {

    private final int maxConnections;
    private final int maxPerAddress;
    private final int maxPerUser;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> perUser = new ConcurrentHashMap<>();

    ConnectionLimits(int maxConnections, int maxPerAddress, int maxPerUser) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.maxPerUser = maxPerUser;
    }

    /**
     * Counts a new connection of {@code user} from {@code address}; null when admitted, else why not (it is then
     * not counted).
     */
    String admit(String address, String user) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return "server full: " + maxConnections + " chat connections are open; try again later";
        }
        if (!countBelow(perAddress, address, maxPerAddress)) {
            open.decrementAndGet();
            return "too many connections from your address (" + maxPerAddress + " open)";
        }
        if (!countBelow(perUser, user, maxPerUser)) {
            open.decrementAndGet();
            uncount(perAddress, address);
            return "too many connections for your user (" + maxPerUser + " open)";
        }
        return null;
    }

    /** A connection admitted for {@code user} from {@code address} closed. */
    void release(String address, String user) {
        open.decrementAndGet();
        uncount(perAddress, address);
        uncount(perUser, user);
    }

    private static boolean countBelow(ConcurrentHashMap<String, Integer> counts, String key, int max) {
        boolean[] counted = { false };
        counts.compute(key, (k, count) -> {
            int now = count == null ? 0 : count;
            if (now >= max) {
                return count;
            }
            counted[0] = true;
            return now + 1;
        });
        return counted[0];
    }

    private static void uncount(ConcurrentHashMap<String, Integer> counts, String key) {
        counts.computeIfPresent(key, (k, count) -> count > 1 ? count - 1 : null);
    }

    int open() {
        return open.get();
    }

    /**
     * The client's address: the last entry of the trusted proxy's header when one is configured (the
     * address that proxy saw), else the TCP peer without its port.
     */
    static String clientAddress(String peer, String forwardedHeaderValue) {
        if (forwardedHeaderValue != null && !forwardedHeaderValue.isBlank()) {
            String[] entries = forwardedHeaderValue.split(",");
            return entries[entries.length - 1].strip();
        }
        if (peer == null) {
            return "unknown";
        }
        // The framework gives "address:port" (IPv6 addresses unbracketed): drop the port.
        int colon = peer.lastIndexOf(':');
        return colon > 0 ? peer.substring(0, colon) : peer;
    }
}
