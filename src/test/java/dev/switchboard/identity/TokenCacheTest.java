package dev.switchboard.identity;

import static dev.switchboard.support.Tokens.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The cache of verified tokens ({@link VerifiedTokenCache}) over real requests: a token is verified once and then
 * served from memory, but never past the moment the verifier would refuse it, never for a copy that differs from it,
 * and never beyond its size. Key rotation is {@link ExternalIssuerTest}'s, where keys come from a JWKS.
 */
@QuarkusTest
class TokenCacheTest {

    private static final String ADMIN_LIST = "/api/users?limit=1";

    @Inject
    MeterRegistry registry;

    @Inject
    SecurityConfig config;

    @ConfigProperty(name = "mp.jwt.verify.clock.skew")
    long skewSeconds;

    private double lookups(String result) {
        return registry.get("switchboard.identity.token-cache.lookups").tag("result", result).counter().count();
    }

    private double size() {
        return registry.get("switchboard.identity.token-cache.size").gauge().value();
    }

    private double sizeEvictions() {
        return registry.get("switchboard.identity.token-cache.evictions").tag("cause", "size").counter().count();
    }

    private static String admin(String subject) {
        return Tokens.sign(Tokens.claims().subject(subject).groups(Roles.ADMIN));
    }

    @Test
    void aTokenIsVerifiedOnceThenServedFromTheCache() {
        String token = admin("cached-" + UUID.randomUUID());
        double hits = lookups("hit");
        double misses = lookups("miss");
        for (int i = 0; i < 3; i++) {
            with(token).get(ADMIN_LIST).then().statusCode(200);
        }
        assertThat(lookups("miss")).isEqualTo(misses + 1);
        assertThat(lookups("hit")).isEqualTo(hits + 2);
    }

    @Test
    void aCachedTokenStillExpiresOnTime() {
        // Expired a while ago, but within the allowed clock skew: the verifier accepts it for about 8 s more.
        long exp = Instant.now().getEpochSecond() - skewSeconds + 8;
        String token = Tokens.sign(Tokens.claims().subject("expiring").groups(Roles.ADMIN).issuedAt(exp - 60).expiresAt(exp));
        double hits = lookups("hit");
        with(token).get(ADMIN_LIST).then().statusCode(200);
        with(token).get(ADMIN_LIST).then().statusCode(200);
        assertThat(lookups("hit")).isEqualTo(hits + 1);

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> with(token).get(ADMIN_LIST).statusCode() == 401);
        assertThat(Instant.now()).isAfterOrEqualTo(Instant.ofEpochSecond(exp + skewSeconds));
    }

    @Test
    void aTamperedCopyOfACachedTokenIsRefusedAndNeverCached() {
        String token = Tokens.user("tampered-" + UUID.randomUUID() + "@example.com"); // no role: 403 on the admin list
        with(token).get(ADMIN_LIST).then().statusCode(403);
        with(token).get(ADMIN_LIST).then().statusCode(403);
        String[] parts = token.split("\\.");

        // Its claims with the admin role added, under its own signature.
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String escalated = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims.replaceFirst("\\{", "{\"groups\":[\"" + Roles.ADMIN + "\"],").getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        // Its signature with one character in the middle changed.
        char[] signature = parts[2].toCharArray();
        int middle = signature.length / 2;
        signature[middle] = signature[middle] == 'A' ? 'B' : 'A';
        String resigned = parts[0] + "." + parts[1] + "." + new String(signature);

        double misses = lookups("miss");
        for (String copy : new String[] { escalated, resigned, escalated, resigned }) {
            with(copy).get(ADMIN_LIST).then().statusCode(401);
        }
        assertThat(lookups("miss")).as("each copy verified again, every time").isEqualTo(misses + 4);
        double hits = lookups("hit");
        with(token).get(ADMIN_LIST).then().statusCode(403);
        assertThat(lookups("hit")).isEqualTo(hits + 1);
    }

    @Test
    void theCacheStaysWithinItsBoundUnderManyDistinctTokens() {
        int bound = config.tokenCache().maxSize();
        double evicted = sizeEvictions();
        String last = null;
        for (int i = 0; i < bound + 50; i++) {
            last = admin("distinct-" + i + "-" + UUID.randomUUID());
            with(last).get(ADMIN_LIST).then().statusCode(200);
            assertThat(size()).isLessThanOrEqualTo(bound);
        }
        assertThat(sizeEvictions()).isGreaterThan(evicted);
        double hits = lookups("hit");
        with(last).get(ADMIN_LIST).then().statusCode(200);
        assertThat(lookups("hit")).as("the newest token was kept").isEqualTo(hits + 1);
    }
}
