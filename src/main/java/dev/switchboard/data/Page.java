package dev.switchboard.data;

import java.util.List;
import java.util.function.ToLongFunction;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One page of a keyset-paginated list. {@code next} is the {@code after} value for the next page,
 * or null on the last page.
 */
@RegisterForReflection
public record Page<T>(@Schema(required = true) List<T> items,
        @Schema(required = true, nullable = true, description = "The after value for the next page; null on the last") Long next) {

    /** Builds a page from up to {@code limit + 1} rows: the extra row only tells that more exist. */
    public static <T> Page<T> of(List<T> rows, int limit, ToLongFunction<T> id) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, limit);
        return new Page<>(List.copyOf(items), id.applyAsLong(items.get(limit - 1)));
    }
}
