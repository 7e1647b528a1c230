package dev.switchboard.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a tool from outside the JVM (a browser, Python): outside CI a missing tool skips them
 * with a warning (once per tool); with {@code CI=true} it fails them, since {@code .ci/run} installs it.
 */
public final class Prerequisites {

    private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();

    private Prerequisites() {
    }

    /** Fails (CI) or skips (elsewhere) the calling test; {@code missing} says what to install. */
    public static void missing(String missing) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(missing + " (CI=true, so these tests must run)");
        }
        if (ANNOUNCED.add(missing)) {
            System.err.println("WARNING: " + missing + ": skipping these tests outside CI");
        }
        Assumptions.abort(missing + ": skipping these tests outside CI");
    }
}
