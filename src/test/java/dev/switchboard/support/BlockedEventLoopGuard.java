package dev.switchboard.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Vert.x reported a blocked event loop (or worker) thread while it ran.
 * Registered for every test class through JUnit's extension auto-detection.
 */
public class BlockedEventLoopGuard implements BeforeAllCallback, AfterAllCallback {

    private static final String CHECKER = "io.vertx.core.impl.BlockedThreadChecker";
    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();
    private static final Handler HANDLER = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            if (message != null && message.contains("has been blocked")) {
                REPORTS.add(message);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Override
    public void beforeAll(ExtensionContext context) {
        Logger logger = Logger.getLogger(CHECKER);
        logger.removeHandler(HANDLER);
        logger.addHandler(HANDLER);
        REPORTS.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!REPORTS.isEmpty()) {
            String first = REPORTS.get(0);
            REPORTS.clear();
            throw new AssertionError("Vert.x reported a blocked thread during " + context.getDisplayName() + ": " + first);
        }
    }
}
