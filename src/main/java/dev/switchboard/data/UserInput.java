package dev.switchboard.data;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import dev.switchboard.platform.StorableText;
import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
public record UserInput(
        @NotBlank @StorableText @Size(max = 100) String name,
        @NotBlank @Email @StorableText @Size(max = 254) String email) {
}
