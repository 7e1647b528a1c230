package dev.switchboard.data;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same checks against the packaged artifact (jar, or native executable with -Dnative), over HTTP. */
@QuarkusIntegrationTest
class UserResourceIT extends UserResourceTest {
}
