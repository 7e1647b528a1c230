package dev.switchboard.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts {@link UpstreamStubs} and points the fan-out sources at them, plus small in-flight bounds so a
 * test can reach them. One set of sources for the whole run (all test classes share one application).
 * Tests find the stubs at the {@value #STUBS_URL} configuration property.
 */
public class UpstreamStubsTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String STUBS_URL = "fanout-test.stubs-url";
    /** The in-flight bound the tests run with. */
    public static final int MAX_IN_FLIGHT = 24;
    /** How many requests may wait for permits in the tests. */
    public static final int MAX_QUEUED = 4;

    private UpstreamStubs stubs;

    @Override
    public Map<String, String> start() {
        stubs = new UpstreamStubs();
        String base = stubs.baseUrl();
        Map<String, String> config = new HashMap<>();
        config.put(STUBS_URL, base);
        source(config, "fast", base + "/delay/50");
        source(config, "medium", base + "/delay/150");
        source(config, "slow", base + "/delay/300");
        // Same delay under other names, to show that the total is the slowest, not the sum.
        source(config, "slow-b", base + "/delay/300?copy=b");
        source(config, "slow-c", base + "/delay/300?copy=c");
        source(config, "failing", base + "/status/500");
        source(config, "missing", base + "/status/404");
        config.put("switchboard.fanout.sources.missing.retries", "2");
        // This service's own lists, called with the caller's token (an external source never gets it).
        source(config, "self-users", "/api/users?limit=5");
        source(config, "self-orders", "/api/orders?limit=5");
        source(config, "self-users-cached", "/api/users?limit=5&cached=1");
        config.put("switchboard.fanout.sources.self-users-cached.cache-ttl", "1h");
        source(config, "external-headers", base + "/headers");
        source(config, "refused", "http://127.0.0.1:" + unusedPort() + "/nothing");
        config.put("switchboard.fanout.sources.refused.retries", "1");
        source(config, "hanging", base + "/hang");
        config.put("switchboard.fanout.sources.hanging.timeout", "400ms");
        source(config, "oversized", base + "/big/2097152");
        source(config, "endless", base + "/endless");
        config.put("switchboard.fanout.sources.endless.timeout", "10s");
        source(config, "flaky", base + "/flaky/a/2");
        config.put("switchboard.fanout.sources.flaky.retries", "2");
        source(config, "not-json", base + "/text");
        source(config, "gated", base + "/gate/main");
        config.put("switchboard.fanout.sources.gated.timeout", "10s");
        // Fails every time; its circuit opens after four failures and stays open for a minute.
        source(config, "breaker", base + "/status/503/breaker");
        config.put("switchboard.fanout.sources.breaker.circuit-breaker.request-volume-threshold", "4");
        config.put("switchboard.fanout.sources.breaker.circuit-breaker.failure-ratio", "1.0");
        config.put("switchboard.fanout.sources.breaker.circuit-breaker.delay", "60s");
        // An ok answer reused for an hour.
        source(config, "cached", base + "/delay/50/cached");
        config.put("switchboard.fanout.sources.cached.cache-ttl", "1h");
        // Behind a gate the tests close: concurrent calls share one upstream call, kept for 1 ms only.
        source(config, "shared", base + "/gate/shared");
        config.put("switchboard.fanout.sources.shared.cache-ttl", "1ms");
        config.put("switchboard.fanout.sources.shared.timeout", "10s");
        // The first request hangs, the hedge sent after 100 ms answers.
        source(config, "hedged", base + "/alternate/hedged");
        config.put("switchboard.fanout.sources.hedged.hedge-after", "100ms");
        config.put("switchboard.fanout.sources.hedged.timeout", "5s");
        source(config, "trimmed", base + "/delay/10/trimmed");
        config.put("switchboard.fanout.sources.trimmed.fields", "delayMs,path");
        // A path on the service itself: resolved against the random port the test server listens on.
        source(config, "self", "/api/products?limit=2");
        config.put("switchboard.fanout.max-in-flight", Integer.toString(MAX_IN_FLIGHT));
        config.put("switchboard.fanout.max-queued", Integer.toString(MAX_QUEUED));
        config.put("switchboard.fanout.queue-timeout", "2s");
        return config;
    }

    private static void source(Map<String, String> config, String name, String url) {
        config.put("switchboard.fanout.sources." + name + ".url", url);
    }

    // A port nothing listens on (free a moment ago), for a connection that is refused.
    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (stubs != null) {
            stubs.close();
        }
    }
}
