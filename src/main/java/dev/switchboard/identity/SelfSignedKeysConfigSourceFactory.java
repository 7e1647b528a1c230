package dev.switchboard.identity;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.ServiceLoader;

import org.eclipse.microprofile.config.spi.ConfigSource;

import dev.switchboard.platform.EmbeddedDatabaseLauncher;
import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Chooses the identity mode at start-up. With an issuer configured ({@code mp.jwt.verify.issuer}) tokens come
 * from an identity provider and nothing is added. Without one, the default build (the one that carries the
 * embedded database: dev mode, tests, the plain jar) signs its own: this makes or reads the key pair in
 * {@code switchboard.security.keys-dir} and points smallrye-jwt's verification at it. The image build
 * (containers, native executables) has no such mode: there a missing issuer stops the start with a message
 * naming the variables to set, as a missing datasource does.
 */
public class SelfSignedKeysConfigSourceFactory implements ConfigSourceFactory {

    static final String ISSUER = "mp.jwt.verify.issuer";
    static final String KEYS_DIR = "switchboard.security.keys-dir";
    private static final String DEV_MODE_ISSUER = "https://quarkus.io/issuer";

    /** The environment variables that plug the service into an identity provider. */
    public static final List<String> ISSUER_VARIABLES = List.of(
            "MP_JWT_VERIFY_ISSUER", "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "MP_JWT_VERIFY_AUDIENCES");

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        // Config is also built while the application is built and at static init: touch no files then.
        if (ExecutionMode.current() != ExecutionMode.RUNTIME_INIT || issuerConfigured(value(context, ISSUER))) {
            return List.of();
        }
        // The embedded database's launcher is what only the default build carries.
        Optional<EmbeddedDatabaseLauncher> defaultBuild = ServiceLoader.load(EmbeddedDatabaseLauncher.class,
                SelfSignedKeysConfigSourceFactory.class.getClassLoader()).findFirst();
        if (defaultBuild.isEmpty()) {
            throw new MissingIssuerException();
        }
        ConfigValue keysDir = value(context, KEYS_DIR);
        Path directory = isSet(keysDir) ? Path.of(keysDir.getValue().trim())
                : defaultBuild.get().defaultDataDirectory().resolveSibling("keys");
        SelfSignedKeys keys = SelfSignedKeys.createOrRead(directory);
        ConfigValue issuer = value(context, "switchboard.security.self-signed.issuer");
        ConfigValue audience = value(context, "switchboard.security.self-signed.audience");
        return List.of(new PropertiesConfigSource(Map.of(
                "switchboard.security.mode", "self-signed",
                KEYS_DIR, directory.toString(),
                ISSUER, isSet(issuer) ? issuer.getValue() : "switchboard-local",
                "mp.jwt.verify.audiences", isSet(audience) ? audience.getValue() : "switchboard",
                // The key itself rather than its file: verification never reads the disk.
                "mp.jwt.verify.publickey", keys.publicPem(),
                "smallrye.jwt.sign.key.location", directory.resolve(SelfSignedKeys.PRIVATE_KEY).toString()),
                // Above Quarkus' dev-mode overrides (399), which hold smallrye-jwt's throwaway dev keys; the
                // mode's own settings are switchboard.security.self-signed.*.
                "SelfSignedKeys", 450));
    }

    // In dev mode and tests (the packaged jar of @QuarkusIntegrationTest included, which gets it as a system
    // property) smallrye-jwt configures a throwaway key pair and this issuer unless keys are set at build time;
    // it is not an identity provider, so the self-signed mode replaces it.
    private static boolean issuerConfigured(ConfigValue issuer) {
        return isSet(issuer) && !DEV_MODE_ISSUER.equals(issuer.getValue());
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }

    // The value for the active profile (%test.…, %dev.…) if there is one, else the plain one.
    private static ConfigValue value(ConfigSourceContext context, String name) {
        for (String profile : context.getProfiles()) {
            ConfigValue value = context.getValue("%" + profile + "." + name);
            if (isSet(value)) {
                return value;
            }
        }
        return context.getValue(name);
    }

    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }

    /** Thrown at start-up by the image build when no identity provider is configured. */
    public static final class MissingIssuerException extends IllegalStateException {

        MissingIssuerException() {
            super("No token issuer configured and this build has no self-signed mode (an image build). Set "
                    + ISSUER_VARIABLES.get(0) + " (the identity provider's issuer, e.g. https://keycloak.example/realms/switchboard), "
                    + ISSUER_VARIABLES.get(1) + " (its JWKS URL or a PEM public key) and " + ISSUER_VARIABLES.get(2)
                    + " (the audience of the service's tokens).");
        }
    }
}
