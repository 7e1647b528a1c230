package dev.switchboard.identity;

import java.time.Duration;
import java.util.Optional;

import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Identity settings of the service itself. Token verification is configured with smallrye-jwt's own keys
 * ({@code mp.jwt.verify.*}); in the self-signed mode {@link SelfSignedKeysConfigSourceFactory} sets them.
 */
@ConfigMapping(prefix = "switchboard.security")
public interface SecurityConfig {

    enum Mode {
        /** No issuer configured (default build): the service signs and verifies its own tokens. */
        SELF_SIGNED,
        /** An identity provider issues the tokens ({@code mp.jwt.verify.issuer} and its keys are set). */
        EXTERNAL
    }

    /** Chosen at start-up: {@code self-signed} when no issuer is configured, else {@code external}. Not set by hand. */
    @WithDefault("external")
    Mode mode();

    /** Where the self-signed mode keeps its key pair and {@code admin.token}; default beside the embedded database's data. */
    Optional<String> keysDir();

    SelfSigned selfSigned();

    Guests guests();

    TokenCache tokenCache();

    /** How long the admin token written at start-up (self-signed mode) stays valid. */
    @WithDefault("12h")
    Duration adminTokenLifetime();

    interface SelfSigned {
        /** The {@code iss} of the service's own tokens. */
        @WithDefault("switchboard-local")
        String issuer();

        /** The {@code aud} of the service's own tokens. */
        @WithDefault("switchboard")
        String audience();
    }

    interface Guests {
        /**
         * {@code POST /api/auth/guest}; default on in the self-signed mode, off in the external one (there it
         * also needs {@code smallrye.jwt.sign.key.location}, a key whose public half the verifier trusts).
         */
        Optional<Boolean> enabled();

        /** Lifetime of a guest token. */
        @WithDefault("1h")
        Duration lifetime();

        /**
         * Guest tokens one client address may get per {@link #window()}; more get 429 (else one address could mint a
         * guest for every socket and pass every per-user cap).
         */
        @WithDefault("10")
        @Min(1)
        int perAddress();

        @WithDefault("1m")
        Duration window();
    }

    /** Tokens that passed verification, remembered until they expire or the verification keys change ({@link VerifiedTokenCache}). */
    interface TokenCache {
        /** Off: every request verifies its token again, signature included. */
        @WithDefault("true")
        boolean enabled();

        /** Most tokens remembered at once; when full, expired entries go first, then any one entry makes room. */
        @WithDefault("1000")
        @Min(1)
        int maxSize();
    }
}
