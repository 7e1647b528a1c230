package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

/** The outbox reaches the socket under a connection through a non-public accessor: fail the build if it goes. */
class SocketAccessTest {

    @Test
    void theSocketAccessorExistsInThisQuarkusVersion() {
        assertThatCode(() -> Class.forName(SocketAccess.class.getName(), true, getClass().getClassLoader()))
                .doesNotThrowAnyException();
    }
}
