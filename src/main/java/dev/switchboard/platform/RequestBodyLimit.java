package dev.switchboard.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;

/**
 * Refuses request bodies that announce a size over the limit with a 413 problem, before any byte
 * is read. Quarkus' own, larger {@code quarkus.http.limits.max-body-size} remains the hard stop for
 * bodies sent without a length.
 */
@ApplicationScoped
public class RequestBodyLimit {

    @ConfigMapping(prefix = "switchboard.http")
    public interface Limits {
        /** Largest request body accepted by the JSON API. */
        @WithDefault("64K")
        MemorySize maxBodySize();
    }

    void register(@Observes Filters filters, Limits limits) {
        long max = limits.maxBodySize().asLongValue();
        String body = Json.encode(Problem.of(413, "Content Too Large",
                "Request body is larger than the limit of " + max + " bytes"));
        filters.register(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && isOver(length, max)) {
                ctx.response().setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(body);
                return;
            }
            ctx.next();
        }, 1000);
    }

    private static boolean isOver(String length, long max) {
        try {
            return Long.parseLong(length.trim()) > max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
