package dev.switchboard.data;

import java.time.OffsetDateTime;

import io.vertx.mutiny.sqlclient.Row;

public record User(long id, String name, String email, OffsetDateTime createdAt) {

    static User from(Row row) {
        return new User(row.getLong("id"), row.getString("name"), row.getString("email"),
                row.getOffsetDateTime("created_at"));
    }
}
