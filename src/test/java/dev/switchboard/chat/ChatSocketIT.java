package dev.switchboard.chat;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same checks against the packaged artifact (jar, or native executable with -Dnative), over WebSocket. */
@QuarkusIntegrationTest
class ChatSocketIT extends ChatSocketTest {
}
