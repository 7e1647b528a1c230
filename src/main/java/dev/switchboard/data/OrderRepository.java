package dev.switchboard.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class OrderRepository {

    private final Pool pool;

    OrderRepository(Pool pool) {
        this.pool = pool;
    }

    /** Product id, price and stock, locked until the transaction ends, in id order to avoid deadlocks. */
    public record StockRow(long productId, long priceCents, int stock) {
    }

    /** Whether the user exists; if so, it cannot be deleted until the transaction ends. */
    public Uni<Boolean> lockUser(SqlClient tx, long userId) {
        return tx.preparedQuery("SELECT 1 FROM users WHERE id = $1 FOR KEY SHARE")
                .execute(Tuple.of(userId))
                .map(rows -> rows.size() > 0);
    }

    public Uni<List<StockRow>> lockStock(SqlClient tx, Long[] productIds) {
        return tx.preparedQuery("SELECT id, price_cents, stock FROM products WHERE id = ANY($1) ORDER BY id FOR UPDATE")
                .execute(Tuple.of(productIds))
                .map(rows -> Rows.map(rows,
                        row -> new StockRow(row.getLong("id"), row.getLong("price_cents"), row.getInteger("stock"))));
    }

    /** Takes the stock; each product's version goes up, so a PUT based on the stock read before fails (412). */
    public Uni<Void> takeStock(SqlClient tx, Long[] productIds, Integer[] quantities) {
        return tx.preparedQuery("""
                UPDATE products p SET stock = p.stock - i.quantity, version = p.version + 1
                FROM unnest($1::bigint[], $2::int[]) AS i(id, quantity) WHERE p.id = i.id""")
                .execute(Tuple.of(productIds, quantities))
                .replaceWithVoid();
    }

    public Uni<Order> insert(SqlClient tx, long userId, List<Order.Line> lines) {
        long total = lines.stream().mapToLong(l -> l.unitPriceCents() * l.quantity()).sum();
        return tx.preparedQuery("INSERT INTO orders (user_id, total_cents) VALUES ($1, $2) RETURNING id, created_at")
                .execute(Tuple.of(userId, total))
                .map(rows -> rows.iterator().next())
                .flatMap(row -> {
                    long orderId = row.getLong("id");
                    return tx.preparedQuery("""
                            INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
                            SELECT $1, * FROM unnest($2::bigint[], $3::int[], $4::bigint[])""")
                            .execute(Tuple.of(orderId,
                                    lines.stream().map(Order.Line::productId).toArray(Long[]::new),
                                    lines.stream().map(Order.Line::quantity).toArray(Integer[]::new),
                                    lines.stream().map(Order.Line::unitPriceCents).toArray(Long[]::new)))
                            .map(ignored -> new Order(orderId, userId, total, row.getOffsetDateTime("created_at"), lines));
                });
    }

    /** How many orders there are. */
    public Uni<Long> count() {
        return pool.query("SELECT count(*) AS n FROM orders").execute()
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    /** The {@code limit} most recently placed orders, newest first, with their lines. */
    public Uni<List<Order>> newest(int limit) {
        return pool.preparedQuery("SELECT id, user_id, total_cents, created_at FROM orders ORDER BY id DESC LIMIT $1")
                .execute(Tuple.of(limit))
                .flatMap(rows -> withLines(Rows.map(rows, row -> row)));
    }

    public Uni<Order> findById(long id) {
        return pool.preparedQuery("SELECT id, user_id, total_cents, created_at FROM orders WHERE id = $1")
                .execute(Tuple.of(id))
                .flatMap(rows -> withLines(Rows.map(rows, row -> row)))
                .map(orders -> orders.isEmpty() ? null : orders.get(0));
    }

    /** Orders by id, optionally of one user only (null: everyone's). */
    public Uni<Page<Order>> list(Long userId, long after, int limit) {
        return pool.preparedQuery("""
                SELECT id, user_id, total_cents, created_at FROM orders
                WHERE ($1::bigint IS NULL OR user_id = $1) AND id > $2 ORDER BY id LIMIT $3""")
                .execute(Tuple.of(userId, after, limit + 1))
                .flatMap(rows -> withLines(Rows.map(rows, row -> row)))
                .map(orders -> Page.of(orders, limit, Order::id));
    }

    // One query for the lines of all the orders on a page, not one per order.
    private Uni<List<Order>> withLines(List<Row> orderRows) {
        if (orderRows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Long[] ids = orderRows.stream().map(r -> r.getLong("id")).toArray(Long[]::new);
        return pool.preparedQuery("""
                SELECT order_id, product_id, quantity, unit_price_cents FROM order_items
                WHERE order_id = ANY($1) ORDER BY order_id, product_id""")
                .execute(Tuple.of(ids))
                .map(lineRows -> {
                    Map<Long, List<Order.Line>> lines = new HashMap<>();
                    for (Row row : lineRows) {
                        lines.computeIfAbsent(row.getLong("order_id"), k -> new ArrayList<>())
                                .add(new Order.Line(row.getLong("product_id"), row.getInteger("quantity"),
                                        row.getLong("unit_price_cents")));
                    }
                    return orderRows.stream()
                            .map(r -> new Order(r.getLong("id"), r.getLong("user_id"), r.getLong("total_cents"),
                                    r.getOffsetDateTime("created_at"), lines.getOrDefault(r.getLong("id"), List.of())))
                            .toList();
                });
    }
}
