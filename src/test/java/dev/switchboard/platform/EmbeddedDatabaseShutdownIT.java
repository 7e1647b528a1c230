package dev.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.support.ChatTestClient;
import dev.switchboard.support.PackagedApplication;

/**
 * The packaged jar on its embedded PostgreSQL, stopped with SIGTERM while a chat connection is open: the
 * chat closes it, stores nothing in vain and unregisters during the shutdown delay, all against a
 * database that is still up, and PostgreSQL stops only after the application. Not in the integration
 * tests' native run: only the default build's jar has an embedded database.
 */
@DisabledIf(value = "dev.switchboard.support.PackagedApplication#isNative", disabledReason = "needs the jar")
class EmbeddedDatabaseShutdownIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theEmbeddedDatabaseOutlivesTheApplicationsShutdown(@TempDir Path folder) throws Exception {
        // As root the server runs as another user, which must be able to enter the folder.
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> environment = Map.of(
                "SWITCHBOARD_EMBEDDED_DATABASE_DATA_DIR", folder.resolve("pgdata").toString(),
                "QUARKUS_SHUTDOWN_DELAY", "2s");
        try (PackagedApplication app = PackagedApplication.start(environment)) {
            int port = app.awaitPort(Duration.ofSeconds(120));
            int management = app.awaitManagementPort(Duration.ofSeconds(10));
            assertThat(app.output()).anyMatch(line -> line.contains("Started embedded PostgreSQL"));
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + management + "/q/health/ready")).build();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);

            int linesBeforeShutdown;
            try (ChatTestClient chatter = ChatTestClient.connect(port, "embedded", "chatter")) {
                chatter.welcome();
                chatter.say("before the shutdown");
                chatter.next("ack");

                linesBeforeShutdown = app.output().size();
                app.terminate();
                assertThat(chatter.awaitClose()).as("WebSocket close code").isEqualTo(1001);
            }

            assertThat(app.awaitExit(Duration.ofSeconds(60))).as("exit code after SIGTERM").isIn(0, 143);
            List<String> shutdown = app.output().subList(linesBeforeShutdown, app.output().size());
            assertThat(shutdown).anyMatch(line -> line.contains("stopped in"));
            assertThat(shutdown).as("log lines after SIGTERM").noneMatch(EmbeddedDatabaseShutdownIT::warningOrError)
                    .noneMatch(line -> line.contains("Could not unregister"));
        }
    }

    private static boolean warningOrError(String line) {
        try {
            JsonNode entry = JSON.readTree(line);
            return List.of("WARN", "WARNING", "ERROR", "FATAL").contains(entry.path("level").asText());
        } catch (Exception notJson) {
            return true;
        }
    }
}
