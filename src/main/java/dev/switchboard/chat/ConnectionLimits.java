package dev.switchboard.chat;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many chat connections this replica holds, in all and per client address, so that one client
 * (or a flood of them) cannot take every file descriptor and byte of memory. Any thread.
 */
final class ConnectionLimits {

    private final int maxConnections;
    private final int maxPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();

    ConnectionLimits(int maxConnections, int maxPerAddress) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts a new connection from {@code address}; null when admitted, else why not (it is then not counted). */
    String admit(String address) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return "server full: " + maxConnections + " chat connections are open; try again later";
        }
        boolean[] admitted = { false };
        perAddress.compute(address, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= maxPerAddress) {
                return count;
            }
            admitted[0] = true;
            return now + 1;
        });
        if (!admitted[0]) {
            open.decrementAndGet();
            return "too many connections from your address (" + maxPerAddress + " open)";
        }
        return null;
    }

    /** A connection admitted from {@code address} closed. */
    void release(String address) {
        open.decrementAndGet();
        perAddress.computeIfPresent(address, (key, count) -> count > 1 ? count - 1 : null);
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
