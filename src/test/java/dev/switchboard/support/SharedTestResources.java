package dev.switchboard.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Declares the test resources once for every {@code @QuarkusTest}, so the application starts once per run. */
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(UpstreamStubsTestResource.class)
@QuarkusTestResource(IdentityTestResource.class)
public final class SharedTestResources {

    private SharedTestResources() {
    }
}
