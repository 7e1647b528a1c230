package dev.switchboard.platform;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.vertx.http.runtime.filters.QuarkusRequestWrapper;

/**
 * What a native executable must be able to reach by reflection although the native build cannot see
 * it: payloads that Jackson writes but no resource method names in its signature (they travel inside
 * a {@code Response}), and the completion method that {@link WebSocketRequestCompletion} calls.
 */
@RegisterForReflection(targets = { Problem.class, ProblemMapper.Violation.class, QuarkusRequestWrapper.class })
final class NativeImageReflection {

    private NativeImageReflection() {
    }
}
