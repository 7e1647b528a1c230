package dev.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.support.PackagedApplication;
import dev.switchboard.support.Tokens;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The packaged jar on an embedded PostgreSQL folder of its own, ended the hard way: SIGKILL while it runs,
 * SIGKILL during the shutdown delay, SIGKILL of the JVM and its watchdog together. No server outlives the
 * JVM for long, the next start takes about as long as a normal one, and a row written before the kill is
 * read back. A folder held by a server the service did not start fails the start at once, naming it.
 * Not in the integration tests' native run: only the default build's jar has an embedded database.
 */
@DisabledIf(value = "dev.switchboard.support.PackagedApplication#isNative", disabledReason = "needs the jar")
class EmbeddedDatabaseCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The watchdog's fast shutdown, its immediate one, and room for a loaded machine. */
    private static final Duration ORPHAN_LIFETIME = Duration.ofSeconds(25);
    /** Slack over a normal start for a loaded machine; a start that waited for a live postmaster.pid took 60 s. */
    private static final Duration START_SLACK = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newHttpClient();
    private Path pgdata;

    @BeforeEach
    void folder(@TempDir Path folder) throws IOException {
        // As root the server runs without root's rights over files, and must be able to enter the folder.
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        pgdata = folder.resolve("pgdata");
    }

    @Test
    void aKilledServiceLeavesNoServerBehindAndItsDataSurvives() throws Exception {
        Started first = start();
        Written user = createUser(first.port());
        long server = postmasterPid();

        first.app().kill();
        awaitGone(server);

        Started second = start();
        assertThat(second.took()).as("start after the kill").isLessThan(first.took().plus(START_SLACK));
        assertReadBack(second.port(), user);
        stopCleanly(second.app());
    }

    @Test
    void aServerLeftRunningIsStoppedByTheNextStart() throws Exception {
        Started first = start();
        Written user = createUser(first.port());
        long server = postmasterPid();

        // As when the watchdog itself is killed along with the JVM (a kill of the JVM's process tree, from which
        // pg_ctl detached the server): the server stays.
        List<ProcessHandle> watchdogs = first.app().handle().children()
                .filter(child -> child.info().commandLine().orElse("").contains("watchdog")).toList();
        assertThat(watchdogs).as("the JVM's watchdog").hasSize(1);
        watchdogs.get(0).destroyForcibly();
        first.app().kill();
        watchdogs.get(0).onExit().get(10, TimeUnit.SECONDS);
        first.app().awaitExit(Duration.ofSeconds(10));
        assertThat(ProcessHandle.of(server)).as("the server left behind").isPresent();

        Started second = start();
        assertThat(second.took()).as("start with a server left running").isLessThan(first.took().plus(START_SLACK));
        assertThat(second.app().output()).anyMatch(line -> line.contains("Stopping the embedded PostgreSQL (PID " + server + ")"));
        assertThat(ProcessHandle.of(server)).as("the server left behind").isEmpty();
        assertReadBack(second.port(), user);
        stopCleanly(second.app());
    }

    @Test
    void aKillDuringTheShutdownDelayLeavesNoServerBehind() throws Exception {
        Started first = start("QUARKUS_SHUTDOWN_DELAY", "60s");
        Written user = createUser(first.port());
        long server = postmasterPid();

        first.app().terminate();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + first.management() + "/q/health/ready")).build();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 503);
        assertThat(ProcessHandle.of(server)).as("the server during the shutdown delay").isPresent();
        first.app().kill();
        awaitGone(server);

        Started second = start();
        assertReadBack(second.port(), user);
        stopCleanly(second.app());
    }

    @Test
    void aFolderHeldByAServerTheServiceDidNotStartFailsTheStartAtOnce() throws Exception {
        try (EmbeddedPostgres foreign = EmbeddedPostgres.builder().setDataDirectory(pgdata).setCleanDataDirectory(false)
                .setRegisterShutdownHook(false).start()) {
            long server = postmasterPid();
            long started = System.nanoTime();
            try (PackagedApplication app = PackagedApplication.start(Map.of("SWITCHBOARD_EMBEDDED_DATABASE_DATA_DIR", pgdata.toString()))) {
                assertThat(app.awaitExit(Duration.ofSeconds(30))).as("exit code").isNotZero();
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertThat(took).as("time to fail").isLessThan(Duration.ofSeconds(30));
                assertThat(String.join("\n", app.output()))
                        .contains("data folder " + pgdata + " is held by a PostgreSQL server (PID " + server
                                + ") that this service did not start")
                        .contains("kill -INT " + server)
                        .contains("SWITCHBOARD_EMBEDDED_DATABASE_DATA_DIR")
                        .doesNotContain("Gave up waiting");
            }
            try (Connection connection = foreign.getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet one = statement.executeQuery("SELECT 1")) {
                assertThat(one.next()).as("the foreign server still answers").isTrue();
            }
        }
    }

    private record Started(PackagedApplication app, int port, int management, Duration took) {
    }

    private Started start(String... environment) throws InterruptedException {
        Map<String, String> variables = new HashMap<>(Map.of("SWITCHBOARD_EMBEDDED_DATABASE_DATA_DIR", pgdata.toString()));
        for (int i = 0; i < environment.length; i += 2) {
            variables.put(environment[i], environment[i + 1]);
        }
        long started = System.nanoTime();
        PackagedApplication app = PackagedApplication.start(variables);
        try {
            int port = app.awaitPort(Duration.ofSeconds(120));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            return new Started(app, port, app.awaitManagementPort(Duration.ofSeconds(10)), took);
        } catch (AssertionError | InterruptedException e) {
            app.close();
            throw e;
        }
    }

    private long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(pgdata.resolve("postmaster.pid")).get(0).trim());
    }

    private static void awaitGone(long pid) {
        ProcessHandle.of(pid).ifPresent(server -> await().atMost(ORPHAN_LIFETIME).until(() -> !server.isAlive()));
    }

    private static void stopCleanly(PackagedApplication app) throws InterruptedException {
        app.terminate();
        app.awaitExit(Duration.ofSeconds(60));
    }

    /** A user written through the API; its id and email. */
    private record Written(long id, String email) {
    }

    private Written createUser(int port) throws Exception {
        String email = "crash-" + UUID.randomUUID() + "@example.com";
        HttpRequest create = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/users"))
                .header("Authorization", "Bearer " + Tokens.admin())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("name", "Crash", "email", email))))
                .build();
        HttpResponse<String> created = http.send(create, HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new Written(JSON.readTree(created.body()).path("id").asLong(), email);
    }

    private void assertReadBack(int port, Written user) throws Exception {
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/users/" + user.id()))
                .header("Authorization", "Bearer " + Tokens.admin()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).as("the user written before the kill: " + read.body()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).path("email").asText()).isEqualTo(user.email());
    }
}
