package dev.switchboard.fanout.aggregate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.vertx.http.HttpServer;

/**
 * Where this service can reach itself over HTTP. The port is looked up at call time because it is only
 * known once the server listens (tests and {@code quarkus.http.port=0} pick a random one).
 */
@ApplicationScoped
public class LocalServer {

    private final Instance<HttpServer> server;
    private volatile String baseUrl;

    LocalServer(Instance<HttpServer> server) {
        this.server = server;
    }

    /** The absolute URL for a path on this service, e.g. {@code /api/users} -> {@code http://127.0.0.1:8080/api/users}. */
    public String resolve(String path) {
        return baseUrl() + path;
    }

    String baseUrl() {
        String known = baseUrl;
        if (known != null) {
            return known;
        }
        int port = port();
        if (port <= 0) {
            throw new IllegalStateException("The HTTP server is not listening yet");
        }
        known = "http://" + host() + ":" + port;
        baseUrl = known;
        return known;
    }

    private int port() {
        if (server.isResolvable()) {
            int port = server.get().getPort();
            if (port > 0) {
                return port;
            }
        }
        return ConfigProvider.getConfig().getOptionalValue("quarkus.http.port", Integer.class).orElse(-1);
    }

    // A wildcard bind address is not a destination; loopback reaches it.
    private static String host() {
        String host = ConfigProvider.getConfig().getOptionalValue("quarkus.http.host", String.class).orElse("localhost");
        return switch (host) {
            case "0.0.0.0", "::", "[::]" -> "127.0.0.1";
            default -> host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        };
    }
}
