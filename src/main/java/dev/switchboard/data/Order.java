package dev.switchboard.data;

import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(requiredProperties = { "id", "userId", "totalCents", "createdAt", "items" })
public record Order(long id, long userId, long totalCents, OffsetDateTime createdAt, List<Line> items) {

    @RegisterForReflection
    @Schema(requiredProperties = { "productId", "quantity", "unitPriceCents" })
    public record Line(long productId, int quantity, long unitPriceCents) {
    }
}
