package dev.switchboard.platform;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

/**
 * What an earlier start left in a persistent data folder, dealt with before PostgreSQL starts on it, so that
 * PostgreSQL never meets a live {@code postmaster.pid} (it would refuse, and the start would wait in vain).
 * <p>
 * A server this service started is recorded in the folder ({@value #OWNER_FILE}: the server's and the
 * service's PID and start). Found running after its service died (killed before its watchdog could act, or
 * while the watchdog is still stopping it), it is stopped and a fresh one is started rather than adopted:
 * the fresh one runs with this start's settings (durability, connections) and is tied to this JVM's watchdog,
 * and the stop costs about a second, so every start takes the one path. A server of a service still running,
 * or one the service did not start, is left alone: the start fails at once saying so.
 */
final class LeftoverServer {

    static final String OWNER_FILE = "switchboard.owner";

    private static final Logger LOG = Logger.getLogger(LeftoverServer.class);
    private static final Duration FAST_SHUTDOWN = Duration.ofSeconds(10);
    private static final Duration IMMEDIATE_SHUTDOWN = Duration.ofSeconds(10);
    private static final String DATA_DIR_VARIABLE = "SWITCHBOARD_EMBEDDED_DATABASE_DATA_DIR";

    private LeftoverServer() {
    }

    /** Makes {@code folder} ready for a server of this JVM, or fails with what holds it and what to do. */
    static void clear(Path folder) throws IOException {
        Optional<PostmasterFile> found = PostmasterFile.read(folder);
        if (found.isEmpty()) {
            return;
        }
        PostmasterFile recorded = found.get();
        Optional<ProcessHandle> process = recorded.process();
        if (process.isEmpty()) {
            // A dead server's file: PostgreSQL sees that the PID is gone and replaces the file itself.
            return;
        }
        // PostgreSQL refuses any live PID; these two are surely not the folder's server, so the file is stale.
        if (!recorded.serves(folder)) {
            LOG.infof("Removing a stale %s from %s: it came with a copy of %s", PostmasterFile.NAME, folder, recorded.dataDirectory());
            recorded.delete(folder);
            return;
        }
        boolean recordedServer = recorded.startedAs(process.get());
        if (!recordedServer && !PostmasterFile.isPostgres(process.get())) {
            LOG.infof("Removing a stale %s from %s: PID %d is now another program", PostmasterFile.NAME, folder, recorded.pid());
            recorded.delete(folder);
            return;
        }
        // A PostgreSQL that started at another time than the recorded one is left alone, as one we did not start.
        Owner owner = Owner.read(folder).filter(candidate -> recordedServer && candidate.started(recorded))
                .orElseThrow(() -> new DataFolderInUseException(folder,
                        "a PostgreSQL server (PID " + recorded.pid() + ") that this service did not start",
                        "Stop that server (kill -INT " + recorded.pid() + " asks it for a fast shutdown)"));
        Optional<ProcessHandle> service = owner.service();
        if (service.isPresent()) {
            throw new DataFolderInUseException(folder,
                    "the embedded PostgreSQL (PID " + recorded.pid() + ") of a Switchboard that is still running (PID "
                            + service.get().pid() + ")",
                    "Stop that Switchboard first");
        }
        LOG.warnf("Stopping the embedded PostgreSQL (PID %d) that a previous start, which did not end cleanly, left running on %s",
                recorded.pid(), folder);
        stop(process.get(), folder);
    }

    /** Records that the server now running on {@code folder} is this JVM's. */
    static void recordOwner(Path folder) throws IOException {
        PostmasterFile running = PostmasterFile.read(folder)
                .orElseThrow(() -> new IOException("PostgreSQL runs but " + folder.resolve(PostmasterFile.NAME) + " cannot be read"));
        ProcessHandle self = ProcessHandle.current();
        new Owner(running.pid(), running.started().getEpochSecond(), self.pid(),
                self.info().startInstant().map(Instant::toEpochMilli).orElse(-1L)).write(folder);
    }

    /**
     * Fast shutdown, then immediate: the signals that {@code pg_ctl stop -m fast} and {@code -m immediate} send
     * (pg_ctl itself refuses to run as root). An immediate shutdown leaves crash recovery to the next start.
     */
    private static void stop(ProcessHandle server, Path folder) throws IOException {
        for (String signal : List.of("INT", "QUIT")) {
            signal(server, signal, folder);
            Duration patience = signal.equals("INT") ? FAST_SHUTDOWN : IMMEDIATE_SHUTDOWN;
            try {
                server.onExit().get(patience.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException stillRunning) {
                LOG.warnf("The embedded PostgreSQL (PID %d) did not stop within %s after SIG%s", server.pid(), patience, signal);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while stopping PostgreSQL (PID " + server.pid() + ")", e);
            } catch (ExecutionException e) {
                throw new IOException("Could not wait for PostgreSQL (PID " + server.pid() + ") to stop", e);
            }
        }
        throw new DataFolderInUseException(folder, "a PostgreSQL server (PID " + server.pid()
                + ") that does not stop", "Stop it yourself (kill -KILL " + server.pid() + ")");
    }

    private static void signal(ProcessHandle server, String signal, Path folder) throws IOException {
        Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(server.pid()))
                .redirectErrorStream(true).start();
        try {
            String output = new String(kill.getInputStream().readAllBytes()).trim();
            if (kill.waitFor() != 0 && server.isAlive()) {
                throw new DataFolderInUseException(folder, "a PostgreSQL server (PID " + server.pid()
                        + ") that this service is not allowed to stop (" + output + ")",
                        "Stop it as the user that runs it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while signalling PostgreSQL (PID " + server.pid() + ")", e);
        }
    }

    /** The server this service started on a folder, and the service (JVM) that started it. */
    private record Owner(long postmasterPid, long postmasterStarted, long servicePid, long serviceStarted) {

        static Optional<Owner> read(Path folder) throws IOException {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(folder.resolve(OWNER_FILE))) {
                properties.load(in);
                return Optional.of(new Owner(Long.parseLong(properties.getProperty("postmaster.pid")),
                        Long.parseLong(properties.getProperty("postmaster.started")),
                        Long.parseLong(properties.getProperty("service.pid")),
                        Long.parseLong(properties.getProperty("service.started"))));
            } catch (NoSuchFileException | NumberFormatException none) {
                return Optional.empty();
            }
        }

        void write(Path folder) throws IOException {
            Properties properties = new Properties();
            properties.setProperty("postmaster.pid", Long.toString(postmasterPid));
            properties.setProperty("postmaster.started", Long.toString(postmasterStarted));
            properties.setProperty("service.pid", Long.toString(servicePid));
            properties.setProperty("service.started", Long.toString(serviceStarted));
            Path written = folder.resolve(OWNER_FILE + ".new");
            try (Writer out = Files.newBufferedWriter(written)) {
                properties.store(out, "The Switchboard that started the PostgreSQL server running on this folder");
            }
            Files.move(written, folder.resolve(OWNER_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }

        boolean started(PostmasterFile server) {
            return postmasterPid == server.pid() && postmasterStarted == server.started().getEpochSecond();
        }

        /** The service, if it still runs (a process with its PID that started when it did). */
        Optional<ProcessHandle> service() {
            return ProcessHandle.of(servicePid).filter(ProcessHandle::isAlive)
                    .filter(process -> serviceStarted < 0 || process.info().startInstant()
                            .map(start -> Math.abs(start.toEpochMilli() - serviceStarted) < 1_000).orElse(true));
        }
    }

    /** The data folder is held by a server this start must not or cannot stop. */
    static final class DataFolderInUseException extends IllegalStateException {

        DataFolderInUseException(Path folder, String holder, String whatToDo) {
            super("The embedded PostgreSQL's data folder " + folder + " is held by " + holder + ". " + whatToDo
                    + ", or set " + DATA_DIR_VARIABLE + " to another folder.");
        }
    }
}
