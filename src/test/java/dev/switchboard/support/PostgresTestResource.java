package dev.switchboard.support;

import java.util.Map;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import dev.switchboard.platform.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The one real PostgreSQL of a test run, chosen in this order:
 * <ol>
 * <li>an explicitly configured server: {@code SWITCHBOARD_TEST_DB_URL} (postgresql://host:port/db) with
 * {@code SWITCHBOARD_TEST_DB_USERNAME} and {@code SWITCHBOARD_TEST_DB_PASSWORD} (its schema is wiped);</li>
 * <li>a Testcontainers {@code postgres} container when Docker is available;</li>
 * <li>else an embedded PostgreSQL in a temporary folder.</li>
 * </ol>
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static Map<String, String> database;
    private static PostgreSQLContainer container;

    @Override
    public Map<String, String> start() {
        return database();
    }

    /** Connection properties of the shared test database, started on first use. */
    public static synchronized Map<String, String> database() {
        if (database == null) {
            database = choose();
        }
        return database;
    }

    private static Map<String, String> choose() {
        String url = System.getenv("SWITCHBOARD_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            return properties(url, env("SWITCHBOARD_TEST_DB_USERNAME", "postgres"), env("SWITCHBOARD_TEST_DB_PASSWORD", ""));
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            container = new PostgreSQLContainer("postgres:17-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            String reactive = container.getJdbcUrl().substring("jdbc:".length());
            return properties(reactive, container.getUsername(), container.getPassword());
        }
        EmbeddedDatabase.Connection db = EmbeddedDatabase.startOrReuse(null);
        return properties(db.reactiveUrl(), db.username(), db.password());
    }

    private static Map<String, String> properties(String reactiveUrl, String username, String password) {
        String plain = reactiveUrl.split("\\?")[0];
        return Map.of(
                "quarkus.datasource.reactive.url", plain,
                "quarkus.datasource.jdbc.url", "jdbc:" + plain,
                "quarkus.datasource.username", username,
                "quarkus.datasource.password", password);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    @Override
    public void stop() {
        // Shared by every test class of the run; stopped when the JVM exits.
    }
}
