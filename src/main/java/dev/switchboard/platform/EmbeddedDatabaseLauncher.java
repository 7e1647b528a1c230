package dev.switchboard.platform;

import java.nio.file.Path;
import java.util.Map;

/**
 * The embedded PostgreSQL, as far as the rest of the service sees it. Only the default build carries an
 * implementation (with zonky and its binaries, from {@code src/embedded}), registered for
 * {@link java.util.ServiceLoader}; the image build ({@code -Pimage}) has none, so nothing of it reaches a
 * container image or a native executable.
 */
public interface EmbeddedDatabaseLauncher {

    /**
     * Starts PostgreSQL on the given data directory, or finds the one this JVM already runs, and returns
     * the datasource settings ({@code quarkus.datasource.*}) that point at it.
     */
    Map<String, String> start(Path dataDirectory);

    /** Where the cluster lives when no data directory is configured. */
    Path defaultDataDirectory();
}
