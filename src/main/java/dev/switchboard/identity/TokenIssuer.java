package dev.switchboard.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Signs the tokens the service issues itself: the admin token of the self-signed mode (written at start-up)
 * and guest tokens. They carry the issuer and audience the verifier expects, so they pass the same checks
 * as an identity provider's. Signing is CPU work (an RSA signature): callers run it off the event loop.
 */
@ApplicationScoped
public class TokenIssuer {

    private static final Logger LOG = Logger.getLogger(TokenIssuer.class);
    /** Marks a guest's name, so that it cannot pass for a registered user's (guest names have no parentheses). */
    static final String GUEST_MARK = " (guest)";

    /** A signed token and when it expires. */
    public record Issued(String token, Instant expiresAt) {
    }

    private final SecurityConfig config;
    private final JWTAuthContextInfo verification;
    private final Optional<String> signingKeyLocation;
    private volatile PrivateKey signingKey;

    TokenIssuer(SecurityConfig config, JWTAuthContextInfo verification,
            @ConfigProperty(name = "smallrye.jwt.sign.key.location") Optional<String> signingKeyLocation) {
        this.config = config;
        this.verification = verification;
        this.signingKeyLocation = signingKeyLocation;
    }

    /** Reads the signing key once (blocking, at start-up) and, in the self-signed mode, writes the admin token. */
    void start(@Observes StartupEvent started) {
        if (signingKeyLocation.isPresent()) {
            try {
                signingKey = SelfSignedKeys.readPrivateKey(Path.of(signingKeyLocation.get()));
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("Cannot read the signing key " + signingKeyLocation.get(), e);
            }
        } else if (guestsEnabled()) {
            throw new IllegalStateException("Guest tokens are enabled (switchboard.security.guests.enabled) but there"
                    + " is no key to sign them: set SMALLRYE_JWT_SIGN_KEY_LOCATION to a PEM private key whose public"
                    + " key the verifier trusts.");
        }
        if (config.mode() == SecurityConfig.Mode.SELF_SIGNED) {
            writeAdminToken();
        }
    }

    public boolean guestsEnabled() {
        return config.guests().enabled().orElse(config.mode() == SecurityConfig.Mode.SELF_SIGNED);
    }

    /** A guest token for {@code name}: role {@link Roles#GUEST}, a subject of its own, the name marked as a guest's. */
    public Issued guest(String name) {
        return sign(claims("guest:" + UUID.randomUUID(), markedGuestName(name), Set.of(Roles.GUEST)),
                config.guests().lifetime());
    }

    /** A fresh guest token for the same guest: its subject and marked name, a new lifetime. */
    public Issued renewedGuest(String subject, String markedName) {
        return sign(claims(subject, markedName, Set.of(Roles.GUEST)), config.guests().lifetime());
    }

    public static String markedGuestName(String name) {
        return name + GUEST_MARK;
    }

    private void writeAdminToken() {
        Issued admin = sign(claims("switchboard-admin", "admin", Set.of(Roles.ADMIN)), config.adminTokenLifetime());
        Path directory = Path.of(config.keysDir().orElseThrow());
        try {
            SelfSignedKeys.writeOwnerOnly(directory.resolve(SelfSignedKeys.ADMIN_TOKEN), admin.token());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + directory.resolve(SelfSignedKeys.ADMIN_TOKEN), e);
        }
        LOG.infof("Self-signed tokens (no issuer configured). Admin token until %s, also in %s: %s", admin.expiresAt(),
                directory.resolve(SelfSignedKeys.ADMIN_TOKEN).toAbsolutePath(), admin.token());
    }

    private JwtClaimsBuilder claims(String subject, String name, Set<String> groups) {
        return Jwt.issuer(verification.getIssuedBy())
                .audience(verification.getExpectedAudience())
                .subject(subject)
                .preferredUserName(name)
                .groups(groups);
    }

    private Issued sign(JwtClaimsBuilder claims, Duration lifetime) {
        PrivateKey key = signingKey;
        if (key == null) {
            throw new IllegalStateException("This service has no signing key");
        }
        Instant now = Instant.now();
        Instant expiresAt = now.plus(lifetime);
        return new Issued(claims.issuedAt(now).expiresAt(expiresAt).sign(key), expiresAt);
    }
}
