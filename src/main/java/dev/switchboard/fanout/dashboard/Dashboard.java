package dev.switchboard.fanout.dashboard;

import java.util.List;

import dev.switchboard.data.Order;
import dev.switchboard.data.Product;
import dev.switchboard.data.User;

/**
 * Counts and the newest rows of users, products and orders, fetched by concurrent queries.
 *
 * @param queries when each query started and how long it took, relative to the request start
 */
public record Dashboard(Counts counts, Newest newest, List<QueryTiming> queries, long elapsedMs) {

    public record Counts(long users, long products, long orders) {
    }

    public record Newest(List<User> users, List<Product> products, List<Order> orders) {
    }

    public record QueryTiming(String name, long startedAtMs, long elapsedMs) {
    }
}
