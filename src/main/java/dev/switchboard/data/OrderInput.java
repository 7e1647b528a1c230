package dev.switchboard.data;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
public record OrderInput(
        @NotNull @Positive Long userId,
        @NotEmpty @Size(max = 100) List<@Valid @NotNull Item> items) {

    @RegisterForReflection
    public record Item(
            @NotNull @Positive Long productId,
            @NotNull @Min(1) @Max(10_000) Integer quantity) {
    }
}
