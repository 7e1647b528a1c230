package dev.switchboard.identity;

import static dev.switchboard.support.Tokens.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.switchboard.support.JwksStub;
import dev.switchboard.support.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The external mode: an identity provider's JWKS over HTTP, keys picked by kid and rotated without a restart; a
 * cached token of a retired key is refused once the set is refetched.
 */
@QuarkusTest
@TestProfile(ExternalIssuerTest.External.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalIssuerTest {

    private static final String PROVIDER_PORT = "switchboard.test.identity-provider-port";

    public static class External implements QuarkusTestProfile {
        // The provider's URL must be known when the application is built (else smallrye-jwt configures its
        // dev-mode key pair, which wins over a location given later): the provider listens on a port chosen here.
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "mp.jwt.verify.issuer", JwksStub.ISSUER,
                    "mp.jwt.verify.publickey.location", JwksStub.certsUrl(providerPort()),
                    "mp.jwt.verify.audiences", "switchboard");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Provider.class));
        }
    }

    public static class Provider implements QuarkusTestResourceLifecycleManager {
        private JwksStub provider;

        @Override
        public Map<String, String> start() {
            provider = new JwksStub(providerPort());
            return Map.of();
        }

        @Override
        public void stop() {
            provider.close();
        }
    }

    // One port for the JVM, kept in a system property: the profile and the resource may be loaded by
    // different class loaders.
    static synchronized int providerPort() {
        String known = System.getProperty(PROVIDER_PORT);
        if (known == null) {
            try (ServerSocket socket = new ServerSocket(0)) {
                known = Integer.toString(socket.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty(PROVIDER_PORT, known);
        }
        return Integer.parseInt(known);
    }

    @ConfigProperty(name = "mp.jwt.verify.publickey.location")
    String certs;

    @Inject
    MeterRegistry registry;

    private double lookups(String result) {
        return registry.get("switchboard.identity.token-cache.lookups").tag("result", result).counter().count();
    }

    private double keySetEvictions() {
        return registry.get("switchboard.identity.token-cache.evictions").tag("cause", "key-set").counter().count();
    }

    private String provider(String path) {
        return certs.substring(0, certs.indexOf(JwksStub.CERTS)) + path;
    }

    private String tokenSignedBy(String kid) {
        return given().get(provider("/__token?kid=" + kid)).then().statusCode(200).extract().asString();
    }

    private void publish(String... kids) {
        given().queryParam("kid", (Object[]) kids).post(provider("/__publish")).then().statusCode(204);
    }

    private int fetches() {
        return Integer.parseInt(given().get(provider("/__fetches")).then().statusCode(200).extract().asString());
    }

    @Test
    @Order(1)
    void tokensOfTheProviderPassWhicheverOfItsKeysSignedThem() {
        with(tokenSignedBy("first")).get("/api/users").then().statusCode(200);
        with(tokenSignedBy("second")).get("/api/users").then().statusCode(200);
        given().get("/api/products").then().statusCode(200);
        given().get("/api/users").then().statusCode(401).header("WWW-Authenticate", "Bearer");
    }

    @Test
    @Order(3)
    void theServicesOwnTokensAndGuestTokensAreOff() {
        with(Tokens.admin()).get("/api/users").then().statusCode(401).header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        given().contentType(ContentType.JSON).body(Map.of("name", "Ada")).post("/api/auth/guest")
                .then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
    }

    /**
     * An unknown kid refetches the set at most once a minute (application.properties): the first such
     * refetch of this application is this test's, and the keys it publishes stay for the tests after it.
     */
    @Test
    @Order(2)
    void aRotatedKeyIsFetchedWithoutARestartAndARetiredOneRefused() {
        String retiring = tokenSignedBy("first");
        with(retiring).get("/api/users").then().statusCode(200);
        double hits = lookups("hit");
        double keySetEvictions = keySetEvictions();
        with(retiring).get("/api/users").then().statusCode(200);
        assertThat(lookups("hit")).as("the second use is served from the cache").isEqualTo(hits + 1);
        int fetched = fetches();
        // jose4j never refetches a set it fetched less than 300 ms ago (its refresh reprieve); a provider's
        // rotation comes long after: let that much pass before rotating.
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
        publish("second", "third");
        with(tokenSignedBy("third")).get("/api/users").then().statusCode(200);
        assertThat(fetches()).isGreaterThan(fetched);
        with(tokenSignedBy("second")).get("/api/users").then().statusCode(200);
        assertThat(keySetEvictions()).as("the refetched set dropped the cached tokens").isGreaterThan(keySetEvictions);
        with(retiring).get("/api/users").then().statusCode(401);
        with(tokenSignedBy("first")).get("/api/users").then().statusCode(401);
    }
}
