package dev.switchboard.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Makes the application under test, in-process or packaged (the jar or the native executable), accept the
 * tests' own tokens ({@link Tokens}); see {@link PackagedApplication#identityProperties()}.
 */
public class IdentityTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return PackagedApplication.identityProperties();
    }

    @Override
    public void stop() {
    }
}
