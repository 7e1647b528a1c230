package dev.switchboard.data;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class UserRepository {

    private static final String COLUMNS = "id, name, email, created_at";

    private final Pool pool;

    UserRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Page<User>> list(long after, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE id > $1 ORDER BY id LIMIT $2")
                .execute(Tuple.of(after, limit + 1))
                .map(rows -> Page.of(Rows.map(rows, User::from), limit, User::id));
    }

    public Uni<User> findById(long id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, User::from));
    }

    public Uni<User> insert(UserInput input) {
        return pool.preparedQuery("INSERT INTO users (name, email) VALUES ($1, $2) RETURNING " + COLUMNS)
                .execute(Tuple.of(input.name(), input.email()))
                .map(rows -> Rows.first(rows, User::from));
    }

    /** Null when there is no such user. */
    public Uni<User> update(long id, UserInput input) {
        return pool.preparedQuery("UPDATE users SET name = $2, email = $3 WHERE id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(id, input.name(), input.email()))
                .map(rows -> Rows.first(rows, User::from));
    }

    public Uni<Boolean> delete(long id) {
        return pool.preparedQuery("DELETE FROM users WHERE id = $1")
                .execute(Tuple.of(id))
                .map(RowSet::rowCount)
                .map(count -> count > 0);
    }
}
