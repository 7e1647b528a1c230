package dev.switchboard.fanout.aggregate;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.fanout.ParameterProblem;
import dev.switchboard.platform.ProblemException;
import io.quarkus.runtime.Startup;

/**
 * The sources a request may choose from: the configured ones, or this service's own lists by default.
 * Built at start-up, not on first use: a misconfigured source stops the application with a message
 * naming its key, instead of turning the first request into a 500.
 */
@Startup
@ApplicationScoped
public class SourceCatalog {

    private final Map<String, UpstreamSource> sources;
    private final List<UpstreamSource> ordered;

    SourceCatalog(FanoutConfig config) {
        this.sources = from(config);
        this.ordered = List.copyOf(sources.values());
    }

    /** What is used when no source is configured: this service's own list endpoints, over real HTTP. */
    public static Map<String, UpstreamSource> defaults() {
        Map<String, UpstreamSource> defaults = new LinkedHashMap<>();
        for (String name : List.of("users", "products", "orders")) {
            defaults.put(name, UpstreamSource.plain(name, "/api/" + name, Duration.ofSeconds(2), 0));
        }
        return Collections.unmodifiableMap(defaults);
    }

    static Map<String, UpstreamSource> from(FanoutConfig config) {
        Map<String, UpstreamSource> sources = config.sources().isEmpty() ? defaults() : configured(config);
        // A request for every source must be satisfiable, or it would wait for permits that never come.
        if (sources.size() > config.maxInFlight()) {
            throw new IllegalArgumentException("switchboard.fanout.max-in-flight (" + config.maxInFlight()
                    + ") must be at least the number of sources (" + sources.size() + ")");
        }
        return sources;
    }

    private static Map<String, UpstreamSource> configured(FanoutConfig config) {
        Map<String, UpstreamSource> configured = new TreeMap<>();
        config.sources().forEach((name, source) -> {
            checkUrl(name, source.url());
            checkPositive(name, "timeout", source.timeout());
            checkPositive(name, "cache-ttl", source.cacheTtl().orElse(null));
            checkPositive(name, "hedge-after", source.hedgeAfter().orElse(null));
            FanoutConfig.CircuitBreaker breaker = source.circuitBreaker();
            checkPositive(name, "circuit-breaker.delay", breaker.delay());
            configured.put(name, new UpstreamSource(name, source.url().trim(), source.timeout(), source.retries(),
                    new UpstreamSource.Breaker(breaker.enabled(), breaker.requestVolumeThreshold(), breaker.failureRatio(),
                            breaker.delay(), breaker.successThreshold()),
                    source.cacheTtl().orElse(null), source.hedgeAfter().orElse(null),
                    source.fields().map(List::copyOf).orElse(null)));
        });
        return Collections.unmodifiableMap(new LinkedHashMap<>(configured));
    }

    private static void checkPositive(String name, String key, Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException("switchboard.fanout.sources.\"" + name + "\"." + key + " must be positive");
        }
    }

    private static void checkUrl(String name, String url) {
        String trimmed = url.trim();
        if (trimmed.startsWith("/")) {
            return;
        }
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("switchboard.fanout.sources.\"" + name + "\".url is not a URL: " + url, e);
        }
        if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new IllegalArgumentException("switchboard.fanout.sources.\"" + name
                    + "\".url must be an absolute http(s) URL or a path starting with '/': " + url);
        }
    }

    /**
     * The sources named, in the order first named; all of them when {@code names} is empty.
     *
     * @throws ProblemException 400 naming every unknown source
     */
    public List<UpstreamSource> pick(List<String> names) {
        if (names == null || names.isEmpty()) {
            return orderedValues();
        }
        List<UpstreamSource> picked = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String name : new LinkedHashSet<>(names)) {
            UpstreamSource source = sources.get(name);
            if (source == null) {
                unknown.add(name);
            } else {
                picked.add(source);
            }
        }
        if (!unknown.isEmpty()) {
            String message = "unknown source" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown.stream().map(n -> "'" + n + "'").toList())
                    + "; known: " + String.join(", ", names());
            throw new ProblemException(ParameterProblem.problem("source", message).with("unknownSources", unknown));
        }
        return picked;
    }

    public List<String> names() {
        return orderedValues().stream().map(UpstreamSource::name).toList();
    }

    private List<UpstreamSource> orderedValues() {
        return ordered;
    }
}
