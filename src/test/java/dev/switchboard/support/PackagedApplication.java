package dev.switchboard.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The artifact that {@code ./mvnw package} built (the fast-jar, or the native executable of
 * {@code -Pimage -Dnative}), started as its own process the way a container starts it: configured through
 * environment variables only, stopped with SIGTERM. For tests of start-up and shutdown, which a
 * shared {@code @QuarkusIntegrationTest} application cannot show.
 */
public final class PackagedApplication implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Listening on: https?://[^\\s:]+:(\\d+)");
    private static final Pattern MANAGEMENT = Pattern.compile("Management interface listening on https?://[^\\s:]+:(\\d+)");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private PackagedApplication(Process process) {
        this.process = process;
        reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(output::add);
            } catch (IOException | UncheckedIOException e) {
                output.add("[output reader failed: " + e + "]");
            }
        }, "packaged-application-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the packaged artifact with exactly these environment variables on top of a clean
     * environment (no inherited QUARKUS_* or SWITCHBOARD_* variables) and a random HTTP port.
     */
    public static PackagedApplication start(Map<String, String> environment) {
        return start(command(List.of()), environment);
    }

    /** The same for the fast-jar in {@code quarkusApp} (a {@code quarkus-app} folder), e.g. the image build's. */
    public static PackagedApplication startJar(Path quarkusApp, Map<String, String> environment) {
        return start(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                quarkusApp.resolve("quarkus-run.jar").toAbsolutePath().toString()), environment);
    }

    private static PackagedApplication start(List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("QUARKUS_") || name.startsWith("SWITCHBOARD_"));
        builder.environment().put("QUARKUS_HTTP_PORT", "0");
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", "0");
        identityProperties().forEach((property, value) -> builder.environment().put(variable(property), value));
        builder.environment().putAll(environment);
        try {
            return new PackagedApplication(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + builder.command(), e);
        }
    }

    /** What a platform gives the service: the three datasource variables, pointing at the test database. */
    public static Map<String, String> datasourceEnvironment() {
        Map<String, String> environment = new HashMap<>();
        PostgresTestResource.database().forEach((property, value) -> {
            if (!property.contains(".jdbc.")) {
                environment.put(variable(property), value);
            }
        });
        environment.put("SWITCHBOARD_EMBEDDED_DATABASE_ENABLED", "false");
        return environment;
    }

    /**
     * What a platform gives the service to plug it into an identity provider, here one whose key is the tests'
     * own ({@link Tokens}): the image build has no self-signed mode and will not start without it.
     */
    public static Map<String, String> issuerEnvironment() {
        Map<String, String> environment = new HashMap<>();
        issuerProperties().forEach((property, value) -> environment.put(variable(property), value));
        return environment;
    }

    /**
     * How the artifact under test accepts the tests' tokens ({@link Tokens}, whose key pair this makes if no
     * application has yet): the default build's self-signed mode on the tests' key folder, never the user's;
     * the native executable, an image build without that mode, through the same public key as an identity
     * provider's.
     */
    public static Map<String, String> identityProperties() {
        Tokens.keys();
        return isNative() ? issuerProperties()
                : Map.of("switchboard.security.keys-dir", Tokens.KEYS.toAbsolutePath().toString());
    }

    private static Map<String, String> issuerProperties() {
        // The key itself, as the self-signed mode gives it: with its file's location instead, the native
        // executable refused the first token it verified (401) and accepted the later ones.
        return Map.of("mp.jwt.verify.issuer", Tokens.ISSUER, "mp.jwt.verify.publickey", Tokens.keys().publicPem(),
                "mp.jwt.verify.audiences", Tokens.AUDIENCE);
    }

    private static String variable(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /**
     * The command that starts the packaged artifact with these JVM or system property options: the fast-jar
     * with this JVM's {@code java}, or the native executable. The artifact is the one Quarkus recorded in
     * {@code quarkus-artifact.properties} of the build output directory: {@code target}, or the directory
     * named by {@code build.output.directory} (the native run of the integration tests points it at the
     * image build, as it does for {@code @QuarkusIntegrationTest}).
     */
    public static List<String> command(List<String> options) {
        Path output = buildOutputDirectory();
        Properties artifact = artifact().orElseThrow(() -> new IllegalStateException(
                "No packaged artifact in " + output + ": run ./mvnw package first"));
        Path path = output.resolve(artifact.getProperty("path")).toAbsolutePath();
        List<String> command = new ArrayList<>();
        switch (artifact.getProperty("type")) {
            case "jar" -> {
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(options);
                command.add("-jar");
                command.add(path.toString());
            }
            case "native" -> {
                command.add(path.toString());
                command.addAll(options);
            }
            default -> throw new IllegalStateException("Cannot start a " + artifact.getProperty("type") + " artifact");
        }
        return command;
    }

    /** Whether the artifact under test is the native executable (for the tests that only a jar can pass). */
    public static boolean isNative() {
        return artifact().map(artifact -> "native".equals(artifact.getProperty("type"))).orElse(false);
    }

    /** What Quarkus recorded of the artifact it built, if it has built one yet (tests run before packaging). */
    private static Optional<Properties> artifact() {
        Properties artifact = new Properties();
        try (Reader in = Files.newBufferedReader(buildOutputDirectory().resolve("quarkus-artifact.properties"))) {
            artifact.load(in);
            return Optional.of(artifact);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path buildOutputDirectory() {
        return Path.of(System.getProperty("build.output.directory", "target"));
    }

    /** Waits for the "Listening on" log line and returns the HTTP port; fails if the process exits first. */
    public int awaitPort(Duration timeout) throws InterruptedException {
        return awaitLogged(LISTENING, timeout);
    }

    /** The management interface's port (health, metrics), once logged. */
    public int awaitManagementPort(Duration timeout) throws InterruptedException {
        return awaitLogged(MANAGEMENT, timeout);
    }

    private int awaitLogged(Pattern port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : output) {
                Matcher listening = port.matcher(line);
                if (listening.find()) {
                    return Integer.parseInt(listening.group(1));
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("The application exited with " + process.exitValue() + ":\n" + String.join("\n", output));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("The application did not start within " + timeout + ":\n" + String.join("\n", output));
    }

    /** Sends SIGTERM, as the kubelet or {@code docker stop} does. */
    public void terminate() {
        // Through the handle: Process.destroy() would also close our end of the output pipe.
        process.toHandle().destroy();
    }

    /** Sends SIGKILL, as {@code kill -9}, the OOM killer or an impatient IDE do: no shutdown hook runs. */
    public void kill() {
        process.toHandle().destroyForcibly();
    }

    /** The running process, e.g. to find the processes it started. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end and returns its exit code, or fails after the timeout. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("The application still runs after " + timeout + ":\n" + String.join("\n", output));
        }
        reader.join(5_000);
        return process.exitValue();
    }

    /** Everything the process wrote to stdout and stderr so far, line by line. */
    public List<String> output() {
        return List.copyOf(output);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
