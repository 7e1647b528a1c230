package dev.switchboard.identity;

import java.io.IOException;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.KeyProvider;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.KeyLocationResolver;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * smallrye-jwt's verification, with a bounded memory of the tokens that passed it. Clients send the same
 * token on every request until it expires, and verifying it (base64, JSON, the RSA signature) cost about as
 * much CPU as the database read it guarded: 40% of a tokened read's CPU samples, and the tokened read ran at
 * 0.47-0.49x a public one; with this cache 0.83-0.90x, at 0.10-0.12 ms CPU per request instead of 0.19-0.22
 * (src/bench/README.md, issue 28). As in Envoy's {@code jwt_authn} cache, a token that passed is remembered
 * by its whole text with its verified claims, and served from memory only while everything checked at
 * verification still holds:
 * <ul>
 * <li>until the time the verifier itself would refuse it: {@code exp} plus the allowed clock skew (and the
 * maximum token age, when set);</li>
 * <li>while the verification keys are the ones it was verified with: when the key set changes (a JWKS refetched
 * after a rotation, or on its refresh interval) every entry is dropped and tokens are verified again;</li>
 * <li>a token that fails is never remembered, and any other text (a tampered copy) is verified in full.</li>
 * </ul>
 * It replaces smallrye-jwt's {@link JWTCallerPrincipalFactory} bean (its extension point), so the verification
 * itself stays smallrye-jwt's {@link DefaultJWTTokenParser}, with a key resolver whose key set can be compared.
 * Meters: {@code switchboard.identity.token-cache.size}, {@code .lookups} (result hit or miss),
 * {@code .hit-ratio} and {@code .evictions} (cause expired, key-set or size).
 */
@Alternative
@Priority(1)
@Singleton
@Startup // its meters exist from the start, before the first token
public class VerifiedTokenCache extends JWTCallerPrincipalFactory {

    private record Entry(JWTCallerPrincipal principal, JWTAuthContextInfo context, Object keySet, long deadlineMillis) {
    }

    private final KeySetAwareParser verifier = new KeySetAwareParser();
    private final boolean enabled;
    private final int maxSize;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    /** The key set the entries were verified with, as last seen. */
    private volatile Object keySet;
    private final Counter hits;
    private final Counter misses;
    private final Counter expired;
    private final Counter keySetChanged;
    private final Counter sizeBound;

    /**
     * Verification without memory: smallrye-jwt's {@code DefaultJWTParser} makes a factory this way for a
     * verification with other settings than the configured ones.
     */
    public VerifiedTokenCache() {
        this.enabled = false;
        this.maxSize = 0;
        this.hits = this.misses = this.expired = this.keySetChanged = this.sizeBound = null;
    }

    @Inject
    VerifiedTokenCache(SecurityConfig config, MeterRegistry registry) {
        this.enabled = config.tokenCache().enabled();
        this.maxSize = config.tokenCache().maxSize();
        String prefix = "switchboard.identity.token-cache.";
        this.hits = Counter.builder(prefix + "lookups").tag("result", "hit")
                .description("Tokens found verified in the cache").register(registry);
        this.misses = Counter.builder(prefix + "lookups").tag("result", "miss")
                .description("Tokens verified in full (not in the cache, or no longer valid there)").register(registry);
        this.expired = eviction(registry, "expired");
        this.keySetChanged = eviction(registry, "key-set");
        this.sizeBound = eviction(registry, "size");
        Gauge.builder(prefix + "size", entries, ConcurrentHashMap::size)
                .description("Verified tokens held").register(registry);
        Gauge.builder(prefix + "hit-ratio", this, VerifiedTokenCache::hitRatio)
                .description("Share of lookups served from the cache since start").register(registry);
    }

    private static Counter eviction(MeterRegistry registry, String cause) {
        return Counter.builder("switchboard.identity.token-cache.evictions").tag("cause", cause)
                .description("Entries dropped before a lookup could use them again").register(registry);
    }

    private double hitRatio() {
        double lookups = hits.count() + misses.count();
        return lookups == 0 ? 0 : hits.count() / lookups;
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
        if (!enabled) {
            return verify(token, context);
        }
        Object keys = verifier.keySet(context);
        if (keys != keySet) {
            keySet = keys;
            if (!entries.isEmpty()) {
                keySetChanged.increment(entries.size());
                entries.clear();
            }
        }
        Entry entry = entries.get(token);
        if (entry != null) {
            if (entry.context == context && entry.keySet == keys && System.currentTimeMillis() < entry.deadlineMillis) {
                hits.increment();
                return entry.principal;
            }
            if (entries.remove(token, entry)) {
                (entry.keySet == keys ? expired : keySetChanged).increment();
            }
        }
        misses.increment();
        JWTCallerPrincipal principal = verify(token, context);
        // Tagged with the key set seen before verifying: if it changed meanwhile, the entry is never served.
        if (keys != null) {
            remember(token, new Entry(principal, context, keys, deadlineMillis(principal, context)));
        }
        return principal;
    }

    private JWTCallerPrincipal verify(String token, JWTAuthContextInfo context) throws ParseException {
        JwtContext verified = verifier.parse(token, context);
        return new DefaultJWTCallerPrincipal(verified.getJoseObjects().get(0).getHeader("typ"), verified.getJwtClaims());
    }

    // jose4j refuses a token once now - skew >= exp (whole seconds); smallrye-jwt once now - iat > the token age.
    private static long deadlineMillis(JWTCallerPrincipal principal, JWTAuthContextInfo context) {
        int skew = context.getExpGracePeriodSecs() > 0 ? context.getExpGracePeriodSecs() : context.getClockSkew();
        long deadline = (principal.getExpirationTime() + skew) * 1000;
        Long tokenAge = context.getTokenAge();
        if (tokenAge != null) {
            deadline = Math.min(deadline, (principal.getIssuedAtTime() + tokenAge + 1) * 1000);
        }
        return deadline;
    }

    private void remember(String token, Entry entry) {
        long now = System.currentTimeMillis();
        if (entry.deadlineMillis <= now) {
            return;
        }
        if (entries.size() >= maxSize) {
            // A scan of at most maxSize entries, paid only by a miss on a full cache, which verifies an RSA signature anyway.
            entries.values().removeIf(old -> {
                boolean gone = old.deadlineMillis <= now;
                if (gone) {
                    expired.increment();
                }
                return gone;
            });
        }
        entries.put(token, entry);
        Iterator<String> others = entries.keySet().iterator();
        while (entries.size() > maxSize && others.hasNext()) {
            if (!others.next().equals(token)) {
                others.remove();
                sizeBound.increment();
            }
        }
    }

    /** smallrye-jwt's token parser with a key resolver that can say which key set it holds now. */
    private static final class KeySetAwareParser extends DefaultJWTTokenParser {

        private volatile KeySetAwareResolver resolver;

        @Override
        protected VerificationKeyResolver getVerificationKeyResolver(JWTAuthContextInfo context) throws UnresolvableKeyException {
            if (context.getKeyProvider() == KeyProvider.AWS_ALB || context.isVerifyCertificateThumbprint()) {
                return super.getVerificationKeyResolver(context);
            }
            KeySetAwareResolver known = resolver;
            if (known == null) {
                synchronized (this) {
                    known = resolver;
                    if (known == null) {
                        known = new KeySetAwareResolver(context);
                        resolver = known;
                    }
                }
            }
            return known;
        }

        /**
         * The keys that verify a token now, compared by identity: the same object until they change. Null when they
         * cannot be known (no verification yet, encrypted tokens, key resolvers that are not watched): nothing is cached then.
         */
        Object keySet(JWTAuthContextInfo context) {
            if (getProtectionLevel(context) != ProtectionLevel.SIGN) {
                return null;
            }
            if (context.getPublicVerificationKey() != null) {
                return context.getPublicVerificationKey();
            }
            if (context.getSecretVerificationKey() != null) {
                return context.getSecretVerificationKey();
            }
            KeySetAwareResolver known = resolver;
            return known == null ? null : known.keySet();
        }
    }

    private static final class KeySetAwareResolver extends KeyLocationResolver {

        KeySetAwareResolver(JWTAuthContextInfo context) throws UnresolvableKeyException {
            super(context);
        }

        // A PEM key is read once; a local JWKS too; a JWKS over HTTP is a new list each time jose4j refetches it.
        Object keySet() {
            if (key != null) {
                return key;
            }
            if (httpsJwks != null) {
                try {
                    return httpsJwks.getJsonWebKeys();
                } catch (JoseException | IOException e) {
                    return null;
                }
            }
            return jsonWebKeys;
        }
    }
}
