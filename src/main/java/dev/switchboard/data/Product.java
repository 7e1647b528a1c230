package dev.switchboard.data;

import java.time.OffsetDateTime;

import io.vertx.mutiny.sqlclient.Row;

public record Product(long id, String name, long priceCents, int stock, OffsetDateTime createdAt) {

    static Product from(Row row) {
        return new Product(row.getLong("id"), row.getString("name"), row.getLong("price_cents"),
                row.getInteger("stock"), row.getOffsetDateTime("created_at"));
    }
}
