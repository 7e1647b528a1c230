package dev.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cases of a {@code postmaster.pid} left in a data folder that a real kill does not produce on demand
 * (a reused PID, a copied folder), and the stop of a left-over server, with ordinary processes standing in
 * for the server: what is decided rests on PIDs, start times and files, not on PostgreSQL. The real thing,
 * with PostgreSQL and the packaged jar, is {@code EmbeddedDatabaseCrashIT}.
 */
class LeftoverServerTest {

    @TempDir
    Path folder;

    private Process standIn;

    @AfterEach
    void stopStandIn() {
        if (standIn != null) {
            standIn.destroyForcibly();
        }
    }

    @Test
    void aDeadServersFileIsLeftToPostgreSql() throws Exception {
        long dead = deadPid();
        writePostmasterFile(dead, folder, Instant.now());

        LeftoverServer.clear(folder);

        assertThat(folder.resolve("postmaster.pid")).as("PostgreSQL replaces it itself").exists();
    }

    @Test
    void aFileWhosePidIsNowAnotherProgramIsRemoved() throws Exception {
        ProcessHandle other = ProcessHandle.current();
        writePostmasterFile(other.pid(), folder, other.info().startInstant().orElseThrow().minusSeconds(3_600));

        LeftoverServer.clear(folder);

        assertThat(folder.resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void aFileCopiedFromAnotherFolderIsRemoved(@TempDir Path original) throws Exception {
        ProcessHandle running = ProcessHandle.current();
        writePostmasterFile(running.pid(), original, running.info().startInstant().orElseThrow());

        LeftoverServer.clear(folder);

        assertThat(folder.resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void aServerTheServiceDidNotStartIsLeftAloneAndNamed() throws Exception {
        ProcessHandle server = startStandIn();
        writePostmasterFile(server.pid(), folder, server.info().startInstant().orElseThrow());

        assertThatThrownBy(() -> LeftoverServer.clear(folder))
                .isInstanceOf(LeftoverServer.DataFolderInUseException.class)
                .hasMessageContaining(folder.toString())
                .hasMessageContaining("PID " + server.pid() + ") that this service did not start")
                .hasMessageContaining("SWITCHBOARD_EMBEDDED_DATABASE_DATA_DIR");
        assertThat(server.isAlive()).isTrue();
    }

    @Test
    void theServerOfAServiceStillRunningIsLeftAloneAndNamed() throws Exception {
        ProcessHandle server = startStandIn();
        Instant started = server.info().startInstant().orElseThrow();
        writePostmasterFile(server.pid(), folder, started);
        ProcessHandle service = ProcessHandle.current();
        writeOwnerFile(server.pid(), started, service.pid(), service.info().startInstant().orElseThrow());

        assertThatThrownBy(() -> LeftoverServer.clear(folder))
                .isInstanceOf(LeftoverServer.DataFolderInUseException.class)
                .hasMessageContaining("of a Switchboard that is still running (PID " + service.pid() + ")");
        assertThat(server.isAlive()).isTrue();
    }

    @Test
    void theServerOfAServiceThatDiedIsStopped() throws Exception {
        ProcessHandle server = startStandIn();
        Instant started = server.info().startInstant().orElseThrow();
        writePostmasterFile(server.pid(), folder, started);
        writeOwnerFile(server.pid(), started, deadPid(), Instant.now());

        LeftoverServer.clear(folder);

        assertThat(server.isAlive()).as("stopped with SIGINT, a fast shutdown for PostgreSQL").isFalse();
    }

    /**
     * A process that ends on SIGINT, as PostgreSQL's server does after its fast shutdown. Its handlers are set to
     * the default first: a build started in the background by a non-interactive shell passes SIGINT and SIGQUIT
     * down ignored, and a plain {@code sleep} would then outlive every signal but SIGKILL.
     */
    private ProcessHandle startStandIn() throws IOException {
        standIn = new ProcessBuilder("perl", "-e", "$SIG{INT} = $SIG{QUIT} = 'DEFAULT'; sleep 300").start();
        return standIn.toHandle();
    }

    private static long deadPid() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        assertThat(ended.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return ended.pid();
    }

    private void writePostmasterFile(long pid, Path dataDirectory, Instant started) throws IOException {
        Files.writeString(folder.resolve("postmaster.pid"), pid + "\n" + dataDirectory + "\n" + started.getEpochSecond() + "\n5432\n");
    }

    private void writeOwnerFile(long server, Instant serverStarted, long service, Instant serviceStarted) throws IOException {
        Files.writeString(folder.resolve(LeftoverServer.OWNER_FILE), "postmaster.pid=" + server + "\npostmaster.started="
                + serverStarted.getEpochSecond() + "\nservice.pid=" + service + "\nservice.started=" + serviceStarted.toEpochMilli() + "\n");
    }
}
