package dev.switchboard.fanout.dashboard;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.data.OrderRepository;
import dev.switchboard.data.ProductRepository;
import dev.switchboard.data.User;
import dev.switchboard.data.UserRepository;
import dev.switchboard.fanout.dashboard.Dashboard.Counts;
import dev.switchboard.fanout.dashboard.Dashboard.Newest;
import dev.switchboard.fanout.dashboard.Dashboard.QueryTiming;
import io.smallrye.mutiny.Uni;

/**
 * The fan-out idea inside the database: six independent reads sent at once through the repositories
 * (each takes its own pooled connection; on one connection they would queue behind each other) and combined.
 */
@ApplicationScoped
public class DashboardService {

    private final UserRepository users;
    private final ProductRepository products;
    private final OrderRepository orders;

    DashboardService(UserRepository users, ProductRepository products, OrderRepository orders) {
        this.users = users;
        this.products = products;
        this.orders = orders;
    }

    /** A query's result with its timing. */
    private record Timed<T>(T value, QueryTiming timing) {
    }

    /** @param withEmails whether the newest users keep their email (the caller is an admin) */
    public Uni<Dashboard> dashboard(int newest, boolean withEmails) {
        long start = System.nanoTime();
        return Uni.combine().all().unis(
                timed("users.count", start, users::count),
                timed("products.count", start, products::count),
                timed("orders.count", start, orders::count),
                timed("users.newest", start, () -> users.newest(newest)
                        .map(list -> withEmails ? list : list.stream().map(User::withoutEmail).toList())),
                timed("products.newest", start, () -> products.newest(newest)),
                timed("orders.newest", start, () -> orders.newest(newest)))
                .asTuple()
                .map(all -> new Dashboard(
                        new Counts(all.getItem1().value(), all.getItem2().value(), all.getItem3().value()),
                        new Newest(all.getItem4().value(), all.getItem5().value(), all.getItem6().value()),
                        Stream.of(all.getItem1(), all.getItem2(), all.getItem3(), all.getItem4(), all.getItem5(), all.getItem6())
                                .map(Timed::timing)
                                .sorted(Comparator.comparingLong(QueryTiming::startedAtMs))
                                .toList(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
    }

    // The query is only started on subscription, so its clock starts when it is really sent.
    private static <T> Uni<Timed<T>> timed(String name, long requestStart, Supplier<Uni<T>> query) {
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            return query.get().map(value -> new Timed<>(value, new QueryTiming(name,
                    TimeUnit.NANOSECONDS.toMillis(started - requestStart),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))));
        });
    }
}
