package dev.switchboard.fanout.dashboard;

import java.util.List;

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
public record Dashboard(Counts counts, Newest newest, List<QueryTiming> queries, long elapsedMs) {

    @RegisterForReflection
    public record Counts(long users, long products, long orders) {
    }

    @RegisterForReflection
    public record Newest(List<User> users, List<Product> products, List<Order> orders) {
    }

    @RegisterForReflection
    public record QueryTiming(String name, long startedAtMs, long elapsedMs) {
    }
}
