package dev.switchboard.support;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.lang.reflect.Proxy;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The guard itself must be able to fail, or "no blocked thread" would mean nothing. */
class BlockedEventLoopGuardTest {

    private static final ExtensionContext CONTEXT = (ExtensionContext) Proxy.newProxyInstance(
            ExtensionContext.class.getClassLoader(), new Class<?>[] { ExtensionContext.class },
            (proxy, method, args) -> method.getName().equals("getDisplayName") ? "a probe" : null);

    @Test
    void failsTheClassWhenVertxReportsABlockedThread() {
        BlockedEventLoopGuard guard = new BlockedEventLoopGuard();
        guard.beforeAll(CONTEXT);
        Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker").log(Level.WARNING,
                "Thread Thread[vert.x-eventloop-thread-0,5,main] has been blocked for 2345 ms, time limit is 2000 ms");
        assertThatThrownBy(() -> guard.afterAll(CONTEXT))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("has been blocked for 2345 ms");
    }

    @Test
    void passesWhenNothingWasReported() {
        BlockedEventLoopGuard guard = new BlockedEventLoopGuard();
        guard.beforeAll(CONTEXT);
        Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker").log(Level.WARNING, "something else entirely");
        assertThatCode(() -> guard.afterAll(CONTEXT)).doesNotThrowAnyException();
    }
}
