package dev.switchboard.data;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class ProductRepository {

    private static final String COLUMNS = "id, name, price_cents, stock, created_at";

    private final Pool pool;

    ProductRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Page<Product>> list(long after, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM products WHERE id > $1 ORDER BY id LIMIT $2")
                .execute(Tuple.of(after, limit + 1))
                .map(rows -> Page.of(Rows.map(rows, Product::from), limit, Product::id));
    }

    public Uni<Product> findById(long id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM products WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, Product::from));
    }

    public Uni<Product> insert(ProductInput input) {
        return pool.preparedQuery("INSERT INTO products (name, price_cents, stock) VALUES ($1, $2, $3) RETURNING " + COLUMNS)
                .execute(Tuple.of(input.name(), input.priceCents(), input.stock()))
                .map(rows -> Rows.first(rows, Product::from));
    }

    /** Null when there is no such product. */
    public Uni<Product> update(long id, ProductInput input) {
        return pool.preparedQuery("UPDATE products SET name = $2, price_cents = $3, stock = $4 WHERE id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(id, input.name(), input.priceCents(), input.stock()))
                .map(rows -> Rows.first(rows, Product::from));
    }

    public Uni<Boolean> delete(long id) {
        return pool.preparedQuery("DELETE FROM products WHERE id = $1")
                .execute(Tuple.of(id))
                .map(RowSet::rowCount)
                .map(count -> count > 0);
    }
}
