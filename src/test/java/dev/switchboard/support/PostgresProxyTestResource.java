package dev.switchboard.support;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The shared test database behind a {@link TcpProxy}: the application's reactive datasource (and so
 * the chat listener) goes through the proxy, which the test gets injected into its {@code TcpProxy}
 * field to cut and restore. Flyway connects directly, since it only runs at start-up.
 */
public class PostgresProxyTestResource implements QuarkusTestResourceLifecycleManager {

    private TcpProxy proxy;

    @Override
    public Map<String, String> start() {
        Map<String, String> database = new HashMap<>(PostgresTestResource.database());
        URI target = URI.create(database.get("quarkus.datasource.reactive.url"));
        proxy = new TcpProxy(target.getHost(), target.getPort());
        database.put("quarkus.datasource.reactive.url",
                "postgresql://localhost:" + proxy.port() + target.getRawPath());
        return database;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(proxy, new TestInjector.MatchesType(TcpProxy.class));
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }
}
