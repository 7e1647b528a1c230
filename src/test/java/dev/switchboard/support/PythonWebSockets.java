package dev.switchboard.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Python 3 with the {@code websockets} library (Debian's python3-websockets), for tests that drive the
 * chat with a client library other than the JVM's. Like the browser tests: skipped with a message when
 * missing, except with {@code CI=true}, where they must run ({@code .ci/run} installs it).
 */
public final class PythonWebSockets {

    public static final String PYTHON = System.getProperty("switchboard.test.python", "/usr/bin/python3");

    private PythonWebSockets() {
    }

    public static void assumeInstalled() {
        if (installed()) {
            return;
        }
        String missing = PYTHON + " with the websockets library is needed; install the Debian package python3-websockets";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(missing + " (CI=true, so this test must run)");
        }
        System.err.println("WARNING: " + missing + ": skipping outside CI");
        Assumptions.abort(missing + ": skipping outside CI");
    }

    private static boolean installed() {
        try {
            Process check = new ProcessBuilder(PYTHON, "-c", "import websockets").redirectErrorStream(true).start();
            return check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
