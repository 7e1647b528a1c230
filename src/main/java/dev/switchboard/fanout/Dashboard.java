package dev.switchboard.fanout;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Counts and the newest rows of users, products and orders, fetched by concurrent queries.
 *
 * @param queries when each query started and how long it took, relative to the request start
 */
public record Dashboard(Counts counts, Newest newest, List<QueryTiming> queries, long elapsedMs) {

    public record Counts(long users, long products, long orders) {
    }

    public record Newest(List<UserSummary> users, List<ProductSummary> products, List<OrderSummary> orders) {
    }

    public record UserSummary(long id, String name, String email, OffsetDateTime createdAt) {
    }

    public record ProductSummary(long id, String name, long priceCents, int stock, OffsetDateTime createdAt) {
    }

    public record OrderSummary(long id, long userId, long totalCents, OffsetDateTime createdAt) {
    }

    public record QueryTiming(String name, long startedAtMs, long elapsedMs) {
    }
}
