package dev.switchboard.platform;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.ServiceLoader;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Points the datasource at an embedded PostgreSQL when nothing else is configured.
 * A configured {@code quarkus.datasource.reactive.url} always wins; the test profile gets its
 * database from the test resource instead. The image build (container images, native executables)
 * carries no embedded database at all, and the default build's can be switched off
 * ({@code switchboard.embedded-database.enabled=false}): then a missing datasource stops the start
 * with a message naming the variables to set, because data in a pod's filesystem would vanish with the pod.
 */
public class EmbeddedDatabaseConfigSourceFactory implements ConfigSourceFactory {

    static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    static final String ENABLED = "switchboard.embedded-database.enabled";
    static final String DATA_DIR = "switchboard.embedded-database.data-dir";

    /** The environment variables a platform sets to give the service its database. */
    public static final List<String> DATASOURCE_VARIABLES = List.of(
            "QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        // Config is also built while the application is built and at static init: start nothing then.
        if (ExecutionMode.current() != ExecutionMode.RUNTIME_INIT
                || isSet(context.getValue(REACTIVE_URL)) || context.getProfiles().contains("test")) {
            return List.of();
        }
        Optional<EmbeddedDatabaseLauncher> launcher = ServiceLoader.load(EmbeddedDatabaseLauncher.class,
                EmbeddedDatabaseConfigSourceFactory.class.getClassLoader()).findFirst();
        if (launcher.isEmpty()) {
            throw new MissingDatasourceException("this build has no embedded PostgreSQL (an image build)");
        }
        ConfigValue enabled = context.getValue(ENABLED);
        if (isSet(enabled) && !Boolean.parseBoolean(enabled.getValue().trim())) {
            throw new MissingDatasourceException("the embedded PostgreSQL is disabled (" + ENABLED + "=false)");
        }
        return List.of(embedded(launcher.get(), context.getValue(DATA_DIR)));
    }

    private static ConfigSource embedded(EmbeddedDatabaseLauncher launcher, ConfigValue dataDir) {
        Path directory = isSet(dataDir) ? Path.of(dataDir.getValue()) : launcher.defaultDataDirectory();
        Map<String, String> properties = new HashMap<>(launcher.start(directory));
        // A fresh embedded database is for trying things out: give it sample rows.
        properties.put("quarkus.flyway.placeholders.sampleData", "true");
        return new PropertiesConfigSource(properties, "EmbeddedDatabase", 260);
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }

    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }

    /** Thrown at start-up when the service has no database to use; the message says how to give it one. */
    public static final class MissingDatasourceException extends IllegalStateException {

        MissingDatasourceException(String why) {
            super("No datasource configured and " + why + ". Set " + DATASOURCE_VARIABLES.get(0)
                    + " (postgresql://host:5432/database), " + DATASOURCE_VARIABLES.get(1) + " and "
                    + DATASOURCE_VARIABLES.get(2) + ".");
        }
    }
}
