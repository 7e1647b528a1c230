package dev.switchboard.data;

import java.time.OffsetDateTime;

import io.vertx.mutiny.sqlclient.Row;

/** A user; {@code version} counts its writes and is its ETag. */
public record User(long id, String name, String email, long version, OffsetDateTime createdAt) {

    static User from(Row row) {
        return new User(row.getLong("id"), row.getString("name"), row.getString("email"), row.getLong("version"),
                row.getOffsetDateTime("created_at"));
    }
}
