package dev.switchboard.fanout.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.switchboard.platform.ProblemException;
import io.quarkus.runtime.configuration.MemorySize;

/** The catalog's rules, without an application: defaults, URL checks, the bound, names. */
class SourceCatalogTest {

    private record Source(String url, Duration timeout, int retries) implements FanoutConfig.Source {
        @Override
        public FanoutConfig.CircuitBreaker circuitBreaker() {
            return new Breaker();
        }

        @Override
        public Optional<Duration> cacheTtl() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> hedgeAfter() {
            return Optional.empty();
        }

        @Override
        public Optional<List<String>> fields() {
            return Optional.empty();
        }
    }

    private record Breaker() implements FanoutConfig.CircuitBreaker {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public int requestVolumeThreshold() {
            return 20;
        }

        @Override
        public double failureRatio() {
            return 0.5;
        }

        @Override
        public Duration delay() {
            return Duration.ofSeconds(5);
        }

        @Override
        public int successThreshold() {
            return 1;
        }
    }

    private record Config(Map<String, FanoutConfig.Source> sources, int maxInFlight) implements FanoutConfig {
        @Override
        public int maxQueued() {
            return 0;
        }

        @Override
        public Duration queueTimeout() {
            return Duration.ofMillis(100);
        }

        @Override
        public MemorySize maxBodySize() {
            return new MemorySize(java.math.BigInteger.valueOf(1024));
        }
    }

    private static Map<String, FanoutConfig.Source> sources(String... nameUrl) {
        Map<String, FanoutConfig.Source> sources = new LinkedHashMap<>();
        for (int i = 0; i < nameUrl.length; i += 2) {
            sources.put(nameUrl[i], new Source(nameUrl[i + 1], Duration.ofSeconds(1), 0));
        }
        return sources;
    }

    @Test
    void withNothingConfiguredTheSourcesAreThisServicesOwnLists() {
        Map<String, UpstreamSource> sources = SourceCatalog.from(new Config(Map.of(), 256));
        assertThat(sources.keySet()).containsExactly("users", "products", "orders");
        assertThat(sources.values()).extracting(UpstreamSource::url).containsExactly("/api/users", "/api/products", "/api/orders");
        assertThat(sources.values()).allSatisfy(s -> {
            assertThat(s.isLocal()).isTrue();
            assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(s.retries()).isZero();
        });
    }

    @Test
    void configuredSourcesReplaceTheDefaultsInNameOrder() {
        SourceCatalog catalog = new SourceCatalog(new Config(sources("zeta", "http://example.com/z", "alpha", "https://example.com/a"), 4));
        assertThat(catalog.names()).containsExactly("alpha", "zeta");
        assertThat(catalog.pick(List.of("zeta", "alpha", "zeta"))).extracting(UpstreamSource::name).containsExactly("zeta", "alpha");
        assertThat(catalog.pick(List.of())).extracting(UpstreamSource::name).containsExactly("alpha", "zeta");
    }

    @Test
    void unknownNamesAreABadRequestNamingThem() {
        SourceCatalog catalog = new SourceCatalog(new Config(sources("a", "http://example.com/a"), 4));
        assertThatThrownBy(() -> catalog.pick(List.of("a", "b", "c")))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(400);
                    assertThat(e.problem().detail()).contains("'b'", "'c'").doesNotContain("'a'");
                });
    }

    @Test
    void badConfigurationFailsAtStartup() {
        assertThatThrownBy(() -> SourceCatalog.from(new Config(sources("ftp", "ftp://example.com/x"), 4)))
                .hasMessageContaining("\"ftp\"");
        assertThatThrownBy(() -> SourceCatalog.from(new Config(sources("rel", "api/users"), 4)))
                .hasMessageContaining("\"rel\"");
        assertThatThrownBy(() -> SourceCatalog.from(new Config(sources("a", "http://h/a", "b", "http://h/b", "c", "http://h/c"), 2)))
                .hasMessageContaining("max-in-flight");
        assertThatThrownBy(() -> SourceCatalog.from(new Config(Map.of(), 2))).hasMessageContaining("max-in-flight");
    }
}
