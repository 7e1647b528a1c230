package dev.switchboard.fanout.aggregate;

import java.time.Duration;

/**
 * One named upstream. {@code url} is either absolute or a path on this service (resolved against
 * the port the server really listens on, see {@link LocalServer}).
 */
public record UpstreamSource(String name, String url, Duration timeout, int retries) {

    public boolean isLocal() {
        return url.startsWith("/");
    }
}
