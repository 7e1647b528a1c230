package dev.switchboard.support;

import static io.restassured.RestAssured.given;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import dev.switchboard.identity.Roles;
import dev.switchboard.identity.SelfSignedKeys;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Tokens for tests, signed with the self-signed mode's key pair in {@link #KEYS}: the folder the test
 * application, the packaged jar that {@code @QuarkusIntegrationTest} starts and {@link PackagedApplication}
 * all use ({@code switchboard.security.keys-dir}), so each of them accepts these tokens.
 */
public final class Tokens {

    public static final Path KEYS = Path.of("target", "test-keys");
    public static final String ISSUER = "switchboard-local";
    public static final String AUDIENCE = "switchboard";

    private static volatile SelfSignedKeys keys;
    private static volatile String admin;

    private Tokens() {
    }

    /** The pair the applications under test verify with (made here if no application has made it yet). */
    public static SelfSignedKeys keys() {
        SelfSignedKeys known = keys;
        if (known == null) {
            known = SelfSignedKeys.createOrRead(KEYS);
            keys = known;
        }
        return known;
    }

    /** A valid admin token ({@link Roles#ADMIN}). */
    public static String admin() {
        String known = admin;
        if (known == null) {
            known = sign(claims().subject("test-admin").groups(Roles.ADMIN));
            admin = known;
        }
        return known;
    }

    /** A valid token without roles for the user with this email: what a registered user holds. */
    public static String user(String email) {
        return sign(claims().subject("user-" + UUID.randomUUID()).claim("email", email));
    }

    /**
     * A chat user's token: subject {@code chat:<name>} (one user per name, so two connections with one name are one
     * user; {@link #chatUser} makes others) and {@code preferred_username} the name.
     */
    public static String chat(String name) {
        return chatUser("chat:" + name, name);
    }

    /** A token of the user {@code subject} shown as {@code name}. */
    public static String chatUser(String subject, String name) {
        return sign(claims().subject(subject).preferredUserName(name));
    }

    /** Claims that pass every check (issuer, audience, a subject, ten minutes of validity), to be changed by a test. */
    public static JwtClaimsBuilder claims() {
        Instant now = Instant.now();
        return Jwt.issuer(ISSUER).audience(Set.of(AUDIENCE)).subject("test-caller").issuedAt(now).expiresAt(now.plusSeconds(600));
    }

    public static String sign(JwtClaimsBuilder claims) {
        PrivateKey key = keys().privateKey();
        return claims.sign(key);
    }

    /** RestAssured with the admin token. */
    public static RequestSpecification asAdmin() {
        return given().auth().oauth2(admin());
    }

    /** RestAssured with this token. */
    public static RequestSpecification with(String token) {
        return given().auth().oauth2(token);
    }
}
