package dev.switchboard.data;

import java.time.OffsetDateTime;
import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
public record Order(long id, long userId, long totalCents, OffsetDateTime createdAt, List<Line> items) {

    @RegisterForReflection
    public record Line(long productId, int quantity, long unitPriceCents) {
    }
}
