package dev.switchboard.fanout.dashboard;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.switchboard.data.Order;
import dev.switchboard.data.Product;
import dev.switchboard.data.User;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Counts and the newest rows of users, products and orders, fetched by concurrent queries.
 *
 * @param queries when each query started and how long it took, relative to the request start
 */
@RegisterForReflection
@Schema(requiredProperties = { "counts", "newest", "queries", "elapsedMs" })
public record Dashboard(Counts counts, Newest newest, List<QueryTiming> queries, long elapsedMs) {

    @RegisterForReflection
    @Schema(requiredProperties = { "users", "products", "orders" })
    public record Counts(long users, long products, long orders) {
    }

    @RegisterForReflection
    @Schema(requiredProperties = { "users", "products", "orders" })
    public record Newest(List<User> users, List<Product> products, List<Order> orders) {
    }

    @RegisterForReflection
    @Schema(requiredProperties = { "name", "startedAtMs", "elapsedMs" })
    public record QueryTiming(String name, long startedAtMs, long elapsedMs) {
    }
}
