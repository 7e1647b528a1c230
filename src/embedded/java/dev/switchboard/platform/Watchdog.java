package dev.switchboard.platform;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A small shell process, started with the server, that stops it once this JVM is gone, however the JVM ended
 * (a {@code kill -9} runs no shutdown hook). PostgreSQL's own watch for a dead postmaster does not cover this:
 * the JVM is not the server's parent.
 * <p>
 * The watchdog reads a pipe whose other end only this JVM holds (a child process keeps no descriptor of the
 * JVM's but its own three). The kernel closes that end when the JVM dies, so the watchdog wakes at once,
 * without polling and without a PID that could be reused. It then asks the server for a fast shutdown
 * (SIGINT) and, if it still runs after {@link #IMMEDIATE_AFTER}, for an immediate one (SIGQUIT): the orphan
 * outlives the JVM by the server's fast shutdown, at most {@link #IMMEDIATE_AFTER} plus the immediate one's
 * moment. A clean stop dismisses the watchdog first (a line on the pipe), and it exits leaving the server alone.
 * It ignores the signals a terminal sends to its whole foreground group (Ctrl-C, hang-up), which the JVM
 * answers with a clean stop. Only a kill of the watchdog itself together with the JVM leaves the server
 * running; the next start then stops it ({@link LeftoverServer}).
 */
final class Watchdog {

    static final Duration IMMEDIATE_AFTER = Duration.ofSeconds(10);

    // $1: the server's PID; $2: tenths of a second to wait before the immediate shutdown; $3: a folder to remove
    // after the server has stopped (a throwaway cluster's), or nothing.
    private static final String SCRIPT = """
            trap '' HUP INT QUIT
            if read -r line; then exit 0; fi
            kill -INT "$1" 2>/dev/null
            waited=0
            while kill -0 "$1" 2>/dev/null; do
              if [ "$waited" -eq "$2" ]; then kill -QUIT "$1" 2>/dev/null; fi
              sleep 0.1
              waited=$((waited + 1))
            done
            if [ -n "$3" ]; then rm -rf "$3"; fi
            """;

    private final Process process;

    private Watchdog(Process process) {
        this.process = process;
    }

    /**
     * Starts watching this JVM on behalf of the server with PID {@code server}. The returned object must stay
     * reachable for as long as the server runs: its pipe is closed when it is collected.
     *
     * @param throwawayFolder removed once the server has stopped; {@code null} for a folder that keeps its data
     */
    static Watchdog start(long server, Path throwawayFolder) throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", "-c", SCRIPT, "switchboard-embedded-postgres-watchdog",
                Long.toString(server), Long.toString(IMMEDIATE_AFTER.toMillis() / 100)));
        if (throwawayFolder != null) {
            command.add(throwawayFolder.toAbsolutePath().toString());
        }
        return new Watchdog(new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start());
    }

    /** The server has been stopped cleanly: the watchdog exits without touching it. */
    void dismiss() {
        try (OutputStream pipe = process.getOutputStream()) {
            pipe.write('\n');
        } catch (IOException ended) {
            // It is gone already: nothing left to dismiss.
        }
    }
}
