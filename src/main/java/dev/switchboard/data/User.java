package dev.switchboard.data;

import java.time.OffsetDateTime;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.sqlclient.Row;

/** A user; {@code version} counts its writes and is its ETag. */
@RegisterForReflection
public record User(long id, String name, String email, long version, OffsetDateTime createdAt) {

    static User from(Row row) {
        return new User(row.getLong("id"), row.getString("name"), row.getString("email"), row.getLong("version"),
                row.getOffsetDateTime("created_at"));
    }
}
