package dev.switchboard.data;

import java.time.OffsetDateTime;
import java.util.List;

public record Order(long id, long userId, long totalCents, OffsetDateTime createdAt, List<Line> items) {

    public record Line(long productId, int quantity, long unitPriceCents) {
    }
}
