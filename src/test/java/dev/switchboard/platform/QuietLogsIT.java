package dev.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.support.PackagedApplication;
import dev.switchboard.support.RawWebSocket;

/**
 * The packaged artifact as an operator runs it, reading its JSON log: a start, a chat client that vanishes with a
 * TCP reset, and a stop log nothing at WARN or above, so an alert on those levels pages nobody for normal life.
 */
class QuietLogsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RESETS = Pattern.compile(
            "(?m)^switchboard_chat_connections_closed_total\\{how=\"reset\"\\} ([0-9.eE+-]+)$");

    @Test
    void aStartAClientThatVanishesAndAStopLogNoWarning() throws Exception {
        Map<String, String> environment = new HashMap<>(PackagedApplication.datasourceEnvironment());
        // Fixed ports, as in production (8080 and 9000): Quarkus tags its HTTP server meters with the port only
        // when it is fixed, so two servers both on random ports would register the same gauges twice.
        environment.put("QUARKUS_HTTP_PORT", String.valueOf(freePort()));
        environment.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(freePort()));
        try (PackagedApplication app = PackagedApplication.start(environment)) {
            int port = app.awaitPort(Duration.ofSeconds(90));
            int management = app.awaitManagementPort(Duration.ofSeconds(10));
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> get(http, management, "/q/health/ready").statusCode() == 200);
            // Some traffic first, so that the database pool opens more than one connection.
            for (int i = 0; i < 4; i++) {
                assertThat(get(http, port, "/api/products?limit=1").statusCode()).isEqualTo(200);
            }

            RawWebSocket ghost = RawWebSocket.connect(port, "/chat/quiet?name=ghost", 65536);
            assertThat(ghost.readText()).contains("\"welcome\"");
            ghost.reset();
            await().atMost(Duration.ofSeconds(30)).until(() -> resets(http, management) == 1.0);

            app.terminate();
            assertThat(app.awaitExit(Duration.ofSeconds(60))).as("exit code after SIGTERM").isIn(0, 143);
            List<String> output = app.output();
            assertThat(output).anyMatch(line -> line.contains("Listening on"));
            assertThat(output.stream().filter(QuietLogsIT::warningOrWorse).toList())
                    .as("log lines at WARN or above, or not JSON").isEmpty();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static double resets(HttpClient http, int management) throws Exception {
        Matcher m = RESETS.matcher(get(http, management, "/q/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static boolean warningOrWorse(String line) {
        try {
            JsonNode entry = JSON.readTree(line);
            return List.of("WARN", "WARNING", "ERROR", "SEVERE", "FATAL").contains(entry.path("level").asText());
        } catch (Exception notJson) {
            return true;
        }
    }
}
