package dev.switchboard.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/**
 * What the application under test logs at WARN or above while this is open: a handler on the root logger of
 * the log manager the {@code @QuarkusTest} application shares with the test. (A packaged application's log is
 * its process output: {@link PackagedApplication#output()}.)
 */
public final class LogCapture implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
                lines.add(record.getLevel() + " " + record.getLoggerName() + ": " + message
                        + (record.getThrown() != null ? " " + record.getThrown() : ""));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture() {
        Logger.getLogger("").addHandler(handler);
    }

    /** Starts capturing WARN, ERROR and FATAL records of every category. */
    public static LogCapture warningsAndErrors() {
        return new LogCapture();
    }

    /** Each record captured so far: level, category, message and exception. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
    }
}
