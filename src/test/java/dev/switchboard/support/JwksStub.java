package dev.switchboard.support;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.smallrye.jwt.build.Jwt;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An identity provider over real HTTP, as far as the service sees one: a JSON Web Key Set at
 * {@link #CERTS} with keys {@code first}, {@code second} and {@code third}, of which a test publishes some
 * (rotation). Like {@link UpstreamStubs} it is driven over HTTP, since tests and test resources may not
 * share classes: {@code POST /__publish?kid=a&kid=b} sets the published keys, {@code GET /__token?kid=a}
 * issues an admin token signed by key {@code a}, {@code GET /__fetches} counts the fetches of the set.
 */
public final class JwksStub implements AutoCloseable {

    public static final String ISSUER = "https://idp.example/realms/switchboard";
    public static final String CERTS = "/realms/switchboard/protocol/openid-connect/certs";

    private final Map<String, KeyPair> keys = Map.of("first", generate(), "second", generate(), "third", generate());
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile List<String> published = List.of("first", "second");

    /** Listens on {@code port} of 127.0.0.1 (0: any free one). */
    public JwksStub(int port) {
        try {
            server = vertx.createHttpServer().requestHandler(this::handle)
                    .listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the JWKS stub", e);
        }
    }

    public static String certsUrl(int port) {
        return "http://127.0.0.1:" + port + CERTS;
    }

    @Override
    public void close() {
        vertx.close();
    }

    private void handle(HttpServerRequest request) {
        switch (request.path()) {
            case CERTS -> {
                fetches.incrementAndGet();
                JsonArray set = new JsonArray();
                published.forEach(kid -> set.add(jwk(kid, (RSAPublicKey) keys.get(kid).getPublic())));
                request.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("keys", set).encode());
            }
            case "/__publish" -> {
                published = List.copyOf(request.params().getAll("kid"));
                request.response().setStatusCode(204).end();
            }
            case "/__token" -> {
                String kid = request.getParam("kid");
                Instant now = Instant.now();
                request.response().end(Jwt.issuer(ISSUER).audience(Set.of("switchboard")).subject("provider-admin")
                        .groups("switchboard-admin").issuedAt(now).expiresAt(now.plusSeconds(300))
                        .jws().keyId(kid).sign(keys.get(kid).getPrivate()));
            }
            case "/__fetches" -> request.response().end(Integer.toString(fetches.get()));
            default -> request.response().setStatusCode(404).end();
        }
    }

    private static JsonObject jwk(String kid, RSAPublicKey key) {
        return new JsonObject().put("kty", "RSA").put("use", "sig").put("alg", "RS256").put("kid", kid)
                .put("n", unsigned(key.getModulus())).put("e", unsigned(key.getPublicExponent()));
    }

    // A JWK's numbers are big-endian without a sign byte (RFC 7518, 6.3.1).
    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
