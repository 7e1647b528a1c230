package dev.switchboard.identity;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * The one rule that annotations cannot state: who may act for a user. An admin may act for anyone; any
 * other caller with a valid token only for the user whose {@code email} equals the token's {@code email}
 * claim (ignoring case). A guest acts for nobody. Resources read the caller through here, never from the token themselves.
 */
@ApplicationScoped
public class Owners {

    /** Whom the caller may act for: everyone ({@link #all()}), or the user with {@link #email()} only. */
    public record Scope(boolean all, String email) {

        /** Passes when the caller may act for the user with {@code ownerEmail} (null: no such user); else 403. */
        public void require(String ownerEmail) {
            // Emails are unique ignoring case (the users table's index), and providers may lower-case them.
            if (!all && (ownerEmail == null || !ownerEmail.equalsIgnoreCase(email))) {
                throw new ForbiddenException();
            }
        }
    }

    private final CurrentIdentityAssociation identities;

    Owners(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    /**
     * The caller's scope; fails with 403 for a caller that may act for nobody (a guest, a token without an
     * {@code email}), with 401 for an anonymous caller or an invalid token.
     */
    public Uni<Scope> scope() {
        return identities.getDeferredIdentity().map(identity -> {
            if (identity.hasRole(Roles.ADMIN)) {
                return new Scope(true, null);
            }
            if (identity.isAnonymous()) {
                throw new UnauthorizedException();
            }
            String email = email(identity);
            if (identity.hasRole(Roles.GUEST) || email == null) {
                throw new ForbiddenException();
            }
            return new Scope(false, email);
        });
    }

    /** Passes when the caller may act for the user whose email {@code ownerEmail} gives; the lookup is skipped for admins. */
    public Uni<Void> require(Supplier<Uni<String>> ownerEmail) {
        return scope().flatMap(scope -> scope.all() ? Uni.createFrom().voidItem()
                : ownerEmail.get().invoke(scope::require).replaceWithVoid());
    }

    /** Whether the caller is an admin; an invalid token fails with 401, no token is simply not an admin. */
    public Uni<Boolean> isAdmin() {
        return identities.getDeferredIdentity().map(identity -> identity.hasRole(Roles.ADMIN));
    }

    private static String email(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            Object email = token.getClaim(Claims.email.name());
            return email instanceof JsonString json ? json.getString() : email instanceof String text ? text : null;
        }
        return null;
    }
}
