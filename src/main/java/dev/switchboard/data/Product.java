package dev.switchboard.data;

import java.time.OffsetDateTime;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.sqlclient.Row;

/** A product; {@code version} counts its writes (orders taking stock included) and is its ETag. */
@RegisterForReflection
@Schema(requiredProperties = { "id", "name", "priceCents", "stock", "version", "createdAt" })
public record Product(long id, String name, long priceCents, int stock, long version, OffsetDateTime createdAt) {

    static Product from(Row row) {
        return new Product(row.getLong("id"), row.getString("name"), row.getLong("price_cents"),
                row.getInteger("stock"), row.getLong("version"), row.getOffsetDateTime("created_at"));
    }
}
