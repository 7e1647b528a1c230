package dev.switchboard.data;

import java.time.OffsetDateTime;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.sqlclient.Row;

/** A user; {@code version} counts its writes and is its ETag. */
@RegisterForReflection
@Schema(requiredProperties = { "id", "name", "version", "createdAt" })
public record User(long id, String name,
        @Schema(description = "Left out on the public dashboard unless the caller is an admin")
        @JsonInclude(JsonInclude.Include.NON_NULL) String email, long version, OffsetDateTime createdAt) {

    /** The user as shown to callers that may not see emails (the public dashboard). */
    public User withoutEmail() {
        return new User(id, name, null, version, createdAt);
    }

    static User from(Row row) {
        return new User(row.getLong("id"), row.getString("name"), row.getString("email"), row.getLong("version"),
                row.getOffsetDateTime("created_at"));
    }
}
