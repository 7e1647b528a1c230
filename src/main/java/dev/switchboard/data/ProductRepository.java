package dev.switchboard.data;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class ProductRepository {

    private static final String COLUMNS = "id, name, price_cents, stock, version, created_at";
    // The version check and the write are one statement, so no other write can come between them.
    private static final String VERSION_MATCHES = "($%d::bigint[] IS NULL OR version = ANY($%<d))";

    private final Pool pool;

    ProductRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Page<Product>> list(long after, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM products WHERE id > $1 ORDER BY id LIMIT $2")
                .execute(Tuple.of(after, limit + 1))
                .map(rows -> Page.of(Rows.map(rows, Product::from), limit, Product::id));
    }

    /** How many products there are. */
    public Uni<Long> count() {
        return pool.query("SELECT count(*) AS n FROM products").execute()
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    /** The {@code limit} most recently created products, newest first. */
    public Uni<List<Product>> newest(int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM products ORDER BY id DESC LIMIT $1")
                .execute(Tuple.of(limit))
                .map(rows -> Rows.map(rows, Product::from));
    }

    public Uni<Product> findById(long id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM products WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, Product::from));
    }

    /** The product's version; null when there is no such product. */
    public Uni<Long> version(long id) {
        return pool.preparedQuery("SELECT version FROM products WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, row -> row.getLong("version")));
    }

    public Uni<Product> insert(SqlClient client, ProductInput input) {
        return client.preparedQuery("INSERT INTO products (name, price_cents, stock) VALUES ($1, $2, $3) RETURNING " + COLUMNS)
                .execute(Tuple.of(input.name(), input.priceCents(), input.stock()))
                .map(rows -> Rows.first(rows, Product::from));
    }

    /** Null when there is no such product or its version is not one If-Match allows. */
    public Uni<Product> update(long id, ProductInput input, IfMatch ifMatch) {
        return pool.preparedQuery("UPDATE products SET name = $2, price_cents = $3, stock = $4, version = version + 1"
                + " WHERE id = $1 AND " + VERSION_MATCHES.formatted(5) + " RETURNING " + COLUMNS)
                .execute(Tuple.of(id, input.name(), input.priceCents(), input.stock(), ifMatch.versions()))
                .map(rows -> Rows.first(rows, Product::from));
    }

    /** False when there is no such product or its version is not one If-Match allows. */
    public Uni<Boolean> delete(long id, IfMatch ifMatch) {
        return pool.preparedQuery("DELETE FROM products WHERE id = $1 AND " + VERSION_MATCHES.formatted(2))
                .execute(Tuple.of(id, ifMatch.versions()))
                .map(RowSet::rowCount)
                .map(count -> count > 0);
    }
}
