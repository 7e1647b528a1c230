package dev.switchboard.platform;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Payloads that Jackson writes in a native executable but that no resource method names in its
 * signature (they travel inside a {@code Response}), so the native build would not register them.
 */
@RegisterForReflection(targets = { Problem.class, ProblemMapper.Violation.class })
final class NativeImageReflection {

    private NativeImageReflection() {
    }
}
