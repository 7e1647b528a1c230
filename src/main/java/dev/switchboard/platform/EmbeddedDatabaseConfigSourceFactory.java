package dev.switchboard.platform;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Points the datasource at an embedded PostgreSQL when nothing else is configured.
 * A configured {@code quarkus.datasource.reactive.url} always wins; the test profile gets its
 * database from the test resource instead; containers and native executables turn this off
 * ({@code switchboard.embedded-database.enabled=false}) and must be given a database.
 */
public class EmbeddedDatabaseConfigSourceFactory implements ConfigSourceFactory {

    static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    static final String ENABLED = "switchboard.embedded-database.enabled";
    static final String DATA_DIR = "switchboard.embedded-database.data-dir";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        // Config is also built while the application is built and at static init: start nothing then.
        if (ExecutionMode.current() != ExecutionMode.RUNTIME_INIT
                || isSet(context.getValue(REACTIVE_URL)) || context.getProfiles().contains("test")) {
            return List.of();
        }
        ConfigValue enabled = context.getValue(ENABLED);
        if (isSet(enabled) && !Boolean.parseBoolean(enabled.getValue())) {
            return List.of();
        }
        ConfigValue dataDir = context.getValue(DATA_DIR);
        Path directory = isSet(dataDir) ? Path.of(dataDir.getValue()) : EmbeddedDatabase.defaultDataDirectory();
        EmbeddedDatabase.Connection db = EmbeddedDatabase.startOrReuse(directory);
        return List.of(new PropertiesConfigSource(Map.of(
                REACTIVE_URL, db.reactiveUrl(),
                "quarkus.datasource.jdbc.url", db.jdbcUrl(),
                "quarkus.datasource.username", db.username(),
                "quarkus.datasource.password", db.password(),
                // A fresh embedded database is for trying things out: give it sample rows.
                "quarkus.flyway.locations", "db/migration,db/samples"),
                "EmbeddedDatabase", 260));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }

    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }
}
