package dev.switchboard.data;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import dev.switchboard.platform.StorableText;
import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
public record ProductInput(
        @NotBlank @StorableText @Size(max = 200) String name,
        @NotNull @PositiveOrZero @Max(1_000_000_000_00L) Long priceCents,
        @NotNull @PositiveOrZero Integer stock) {
}
