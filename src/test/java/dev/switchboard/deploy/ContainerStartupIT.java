package dev.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.platform.EmbeddedDatabaseConfigSourceFactory;
import dev.switchboard.support.PackagedApplication;
import dev.switchboard.support.Tokens;

/** The packaged artifact started the way a container starts it: environment variables only. */
class ContainerStartupIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void startsFromEnvironmentVariablesAloneAndLogsOneJsonObjectPerLine() throws Exception {
        try (PackagedApplication app = PackagedApplication.start(PackagedApplication.datasourceEnvironment())) {
            int port = app.awaitPort(Duration.ofSeconds(90));
            HttpResponse<String> users = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/users?limit=1"))
                            .header("Authorization", "Bearer " + Tokens.admin()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(users.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(users.body()).has("items")).isTrue();
            for (String operations : List.of("/q/health/ready", "/q/metrics", "/q/swagger-ui")) {
                HttpResponse<Void> off = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + operations)).build(),
                        HttpResponse.BodyHandlers.discarding());
                assertThat(off.statusCode()).as(operations + " on the public port").isEqualTo(404);
            }
            int management = app.awaitManagementPort(Duration.ofSeconds(10));
            HttpResponse<Void> ready = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + management + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(ready.statusCode()).as("readiness on the management port").isEqualTo(200);
            app.terminate();
            app.awaitExit(Duration.ofSeconds(30));

            List<String> lines = app.output().stream().filter(line -> !line.isBlank()).toList();
            assertThat(lines).isNotEmpty();
            for (String line : lines) {
                JsonNode entry = JSON.readTree(line);
                assertThat(entry.isObject()).as(line).isTrue();
                assertThat(entry.path("level").asText()).as(line).isNotBlank();
                assertThat(entry.has("message")).as(line).isTrue();
            }
            assertThat(lines).anyMatch(line -> line.contains("Listening on"));
        }
    }

    @Test
    void withoutADatasourceStopsAtStartUpNamingTheVariablesToSet() throws Exception {
        try (PackagedApplication app = PackagedApplication.start(Map.of("SWITCHBOARD_EMBEDDED_DATABASE_ENABLED", "false"))) {
            assertThat(app.awaitExit(Duration.ofSeconds(60))).as("exit code").isNotZero();
            String output = String.join("\n", app.output());
            assertThat(output).contains(EmbeddedDatabaseConfigSourceFactory.DATASOURCE_VARIABLES);
            assertThat(output).doesNotContain("Started embedded PostgreSQL").doesNotContain("Listening on");
        }
    }
}
