package dev.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./mvnw quarkus:dev} on a fresh copy of the project (what dev mode builds from: the wrapper, its
 * configuration, the POM and the main sources; no target folder): it starts, serves, asks nothing on the terminal
 * (the build analytics question is answered in .mvn/maven.config) and logs no line at WARN or above, Maven's
 * included. Its data and keys stay in the copy, and it listens on free ports.
 */
@DisabledIf(value = "dev.switchboard.support.PackagedApplication#isNative", disabledReason = "runs the sources")
class DevModeIT {

    private static final List<String> PROJECT = List.of("mvnw", "pom.xml", ".mvn", "src/main", "src/embedded");

    @Test
    void startsQuietlyAndAsksNothing(@TempDir Path copy) throws Exception {
        for (String part : PROJECT) {
            copy(Path.of(part), copy.resolve(part));
        }
        int port = freePort();
        List<String> command = List.of(copy.resolve("mvnw").toString(), "-B", "quarkus:dev",
                "-Ddebug=false", "-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + freePort(),
                "-Dmaven.repo.local=" + System.getProperty("maven.repo.local"),
                "-Dswitchboard.embedded-database.data-dir=" + copy.resolve("data/pgdata"),
                "-Dswitchboard.security.keys-dir=" + copy.resolve("data/keys"));
        Process dev = new ProcessBuilder(command).directory(copy.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        List<String> output = new CopyOnWriteArrayList<>();
        try {
            CompletableFuture<Boolean> started = CompletableFuture.supplyAsync(() -> readUntilListening(dev, output));
            assertThat(started.get(5, TimeUnit.MINUTES)).as("started; its output:\n%s", String.join("\n", output)).isTrue();
            HttpResponse<String> products = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/products")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(products.statusCode()).isEqualTo(200);
        } finally {
            dev.descendants().forEach(ProcessHandle::destroy);
            dev.destroy();
            dev.waitFor(60, TimeUnit.SECONDS);
        }
        assertThat(output).as("dev mode's output up to Listening on").noneMatch(line -> line.contains(" WARN ")
                || line.contains(" ERROR ") || line.contains("[WARNING]") || line.contains("[ERROR]")
                || line.contains("(y/n"));
    }

    private static boolean readUntilListening(Process dev, List<String> output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(dev.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.add(line);
                if (line.contains("Listening on: http://")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
