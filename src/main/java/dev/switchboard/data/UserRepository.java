package dev.switchboard.data;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class UserRepository {

    private static final String COLUMNS = "id, name, email, version, created_at";
    // The version check and the write are one statement, so no other write can come between them.
    private static final String VERSION_MATCHES = "($%d::bigint[] IS NULL OR version = ANY($%<d))";

    private final Pool pool;

    UserRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Page<User>> list(long after, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE id > $1 ORDER BY id LIMIT $2")
                .execute(Tuple.of(after, limit + 1))
                .map(rows -> Page.of(Rows.map(rows, User::from), limit, User::id));
    }

    /** How many users there are. */
    public Uni<Long> count() {
        return pool.query("SELECT count(*) AS n FROM users").execute()
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    /** The {@code limit} most recently created users, newest first. */
    public Uni<List<User>> newest(int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM users ORDER BY id DESC LIMIT $1")
                .execute(Tuple.of(limit))
                .map(rows -> Rows.map(rows, User::from));
    }

    public Uni<User> findById(long id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, User::from));
    }

    /** The user's email, for the owner check; null when there is no such user. */
    public Uni<String> emailOf(long id) {
        return pool.preparedQuery("SELECT email FROM users WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, row -> row.getString("email")));
    }

    /** The id of the user with this email, ignoring case as the unique index does; null when there is none. */
    public Uni<Long> idByEmail(String email) {
        return pool.preparedQuery("SELECT id FROM users WHERE lower(email) = lower($1)")
                .execute(Tuple.of(email))
                .map(rows -> Rows.first(rows, row -> row.getLong("id")));
    }

    /** The user's version; null when there is no such user. */
    public Uni<Long> version(long id) {
        return pool.preparedQuery("SELECT version FROM users WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, row -> row.getLong("version")));
    }

    public Uni<User> insert(SqlClient client, UserInput input) {
        return client.preparedQuery("INSERT INTO users (name, email) VALUES ($1, $2) RETURNING " + COLUMNS)
                .execute(Tuple.of(input.name(), input.email()))
                .map(rows -> Rows.first(rows, User::from));
    }

    /** Null when there is no such user or its version is not one If-Match allows. */
    public Uni<User> update(long id, UserInput input, IfMatch ifMatch) {
        return pool.preparedQuery("UPDATE users SET name = $2, email = $3, version = version + 1 WHERE id = $1 AND "
                + VERSION_MATCHES.formatted(4) + " RETURNING " + COLUMNS)
                .execute(Tuple.of(id, input.name(), input.email(), ifMatch.versions()))
                .map(rows -> Rows.first(rows, User::from));
    }

    /** False when there is no such user or its version is not one If-Match allows. */
    public Uni<Boolean> delete(long id, IfMatch ifMatch) {
        return pool.preparedQuery("DELETE FROM users WHERE id = $1 AND " + VERSION_MATCHES.formatted(2))
                .execute(Tuple.of(id, ifMatch.versions()))
                .map(RowSet::rowCount)
                .map(count -> count > 0);
    }
}
