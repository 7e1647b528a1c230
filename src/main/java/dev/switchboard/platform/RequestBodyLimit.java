package dev.switchboard.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The request body limit, answered with a 413 problem however the body comes. A body that announces a larger size
 * is refused before any byte is read (a client sending {@code Expect: 100-continue} never sends it). A body of
 * unknown length (chunked) is read here, up to the limit, before Quarkus REST sees it: Quarkus REST would cut it
 * itself with an empty 413 and a failure inside the resource.
 */
@ApplicationScoped
public class RequestBodyLimit {

    @ConfigMapping(prefix = "switchboard.http")
    public interface Limits {
        /** Largest request body accepted by the JSON API. */
        @WithDefault("64K")
        MemorySize maxBodySize();
    }

    private final ClientErrors errors;
    private final String tooLarge;
    private final long max;

    RequestBodyLimit(Limits limits, ClientErrors errors) {
        this.errors = errors;
        this.max = limits.maxBodySize().asLongValue();
        this.tooLarge = Json.encode(Problem.of(413, "Content Too Large",
                "Request body is larger than the limit of " + max + " bytes"));
    }

    void announced(@Observes Filters filters) {
        filters.register(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && isOver(length, max)) {
                refuse(ctx);
                return;
            }
            ctx.next();
        }, 1000);
    }

    // After Quarkus' own check of announced sizes, before Quarkus REST.
    void read(@Observes Router router) {
        BodyHandler upToTheLimit = BodyHandler.create(false).setBodyLimit(max);
        router.route("/api/*").order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1)
                .method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH).method(HttpMethod.DELETE)
                .handler(ctx -> readChunked(ctx, upToTheLimit))
                .failureHandler(ctx -> {
                    if (ctx.statusCode() == 413) {
                        refuse(ctx);
                    } else {
                        ctx.next();
                    }
                });
    }

    // A sized body is left to Quarkus REST (its size was checked above). Before a chunked one is read, a client
    // that asked sends it only after 100 Continue; once is enough, so Quarkus REST, finding the body read, must
    // not send another.
    private static void readChunked(RoutingContext ctx, BodyHandler upToTheLimit) {
        if (ctx.request().headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            ctx.next();
            return;
        }
        if ("100-continue".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.EXPECT))) {
            ctx.request().headers().remove(HttpHeaders.EXPECT);
            ctx.response().writeContinue();
        }
        upToTheLimit.handle(ctx);
    }

    private void refuse(RoutingContext ctx) {
        errors.refused(ClientErrors.BODY_TOO_LARGE, ctx.request().method() + " " + ctx.request().path());
        ctx.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(tooLarge);
    }

    private static boolean isOver(String length, long max) {
        try {
            return Long.parseLong(length.trim()) > max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
