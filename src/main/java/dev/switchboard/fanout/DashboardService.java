package dev.switchboard.fanout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.fanout.Dashboard.Counts;
import dev.switchboard.fanout.Dashboard.Newest;
import dev.switchboard.fanout.Dashboard.OrderSummary;
import dev.switchboard.fanout.Dashboard.ProductSummary;
import dev.switchboard.fanout.Dashboard.QueryTiming;
import dev.switchboard.fanout.Dashboard.UserSummary;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The fan-out idea inside the database: six independent queries sent at once through the pool (so each
 * gets its own connection; on one connection they would queue behind each other) and combined.
 */
@ApplicationScoped
public class DashboardService {

    private final Pool pool;

    DashboardService(Pool pool) {
        this.pool = pool;
    }

    /** A query's result with its timing. */
    private record Timed<T>(T value, QueryTiming timing) {
    }

    public Uni<Dashboard> dashboard(int newest) {
        long start = System.nanoTime();
        return Uni.combine().all().unis(
                timed("users.count", start, count("users")),
                timed("products.count", start, count("products")),
                timed("orders.count", start, count("orders")),
                timed("users.newest", start, newest(
                        "SELECT id, name, email, created_at FROM users ORDER BY id DESC LIMIT $1", newest,
                        row -> new UserSummary(row.getLong("id"), row.getString("name"), row.getString("email"),
                                row.getOffsetDateTime("created_at")))),
                timed("products.newest", start, newest(
                        "SELECT id, name, price_cents, stock, created_at FROM products ORDER BY id DESC LIMIT $1", newest,
                        row -> new ProductSummary(row.getLong("id"), row.getString("name"), row.getLong("price_cents"),
                                row.getInteger("stock"), row.getOffsetDateTime("created_at")))),
                timed("orders.newest", start, newest(
                        "SELECT id, user_id, total_cents, created_at FROM orders ORDER BY id DESC LIMIT $1", newest,
                        row -> new OrderSummary(row.getLong("id"), row.getLong("user_id"), row.getLong("total_cents"),
                                row.getOffsetDateTime("created_at")))))
                .asTuple()
                .map(all -> {
                    List<QueryTiming> timings = new ArrayList<>(List.of(all.getItem1().timing(), all.getItem2().timing(),
                            all.getItem3().timing(), all.getItem4().timing(), all.getItem5().timing(), all.getItem6().timing()));
                    timings.sort(Comparator.comparingLong(QueryTiming::startedAtMs));
                    return new Dashboard(
                            new Counts(all.getItem1().value(), all.getItem2().value(), all.getItem3().value()),
                            new Newest(all.getItem4().value(), all.getItem5().value(), all.getItem6().value()),
                            List.copyOf(timings),
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                });
    }

    // Table names are constants from this class, never input.
    private Uni<Long> count(String table) {
        return pool.query("SELECT count(*) AS n FROM " + table).execute()
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    private <T> Uni<List<T>> newest(String sql, int limit, Function<Row, T> mapper) {
        return pool.preparedQuery(sql).execute(Tuple.of(limit)).map(rows -> map(rows, mapper));
    }

    private static <T> List<T> map(RowSet<Row> rows, Function<Row, T> mapper) {
        List<T> items = new ArrayList<>(rows.size());
        for (Row row : rows) {
            items.add(mapper.apply(row));
        }
        return List.copyOf(items);
    }

    private static <T> Uni<Timed<T>> timed(String name, long requestStart, Uni<T> query) {
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            return query.map(value -> new Timed<>(value, new QueryTiming(name,
                    TimeUnit.NANOSECONDS.toMillis(started - requestStart),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))));
        });
    }
}
