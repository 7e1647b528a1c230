package dev.switchboard.support;

import java.util.concurrent.TimeUnit;

/**
 * Python 3 with the {@code websockets} library (Debian's python3-websockets), for tests that drive the
 * chat with a client library other than the JVM's; see {@link Prerequisites} for when it is missing.
 */
public final class PythonWebSockets {

    public static final String PYTHON = System.getProperty("switchboard.test.python", "/usr/bin/python3");

    private PythonWebSockets() {
    }

    public static void assumeInstalled() {
        if (installed()) {
            return;
        }
        Prerequisites.missing(PYTHON + " with the websockets library is needed; install the Debian package python3-websockets");
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
