package dev.switchboard.identity;

import java.time.Instant;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.switchboard.platform.ApiDocs;
import dev.switchboard.platform.Problem;
import dev.switchboard.platform.ProblemException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.http.HttpServerRequest;

/** Guest tokens: a name typed in, a short-lived token back, for public reads and the chat. */
@Path("/api/auth")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Identity")
public class GuestResource {

    /** Letters, digits, spaces inside, dots, dashes and underscores: no parentheses, so no name can fake the guest mark. */
    static final String NAME = "[\\p{L}\\p{N}._-]([\\p{L}\\p{N} ._-]*[\\p{L}\\p{N}._-])?";

    @RegisterForReflection
    public record GuestRequest(@NotNull @Size(min = 1, max = 32) @Pattern(regexp = NAME,
            message = "1 to 32 letters, digits, spaces, '.', '_' or '-', not starting or ending with a space") String name) {
    }

    @RegisterForReflection
    @Schema(requiredProperties = { "token", "expiresAt", "name" })
    public record GuestToken(String token, Instant expiresAt, String name) {
    }

    private final TokenIssuer issuer;
    private final GuestIssueLimits limits;
    private final JsonWebToken caller;

    GuestResource(TokenIssuer issuer, GuestIssueLimits limits, JsonWebToken caller) {
        this.issuer = issuer;
        this.limits = limits;
        this.caller = caller;
    }

    /** Not reactive on purpose: Quarkus runs it on a worker thread, off the event loop, for the RSA signature. */
    @POST
    @Path("guest")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermitAll
    @Operation(operationId = "guestToken", summary = "A short-lived guest token for public reads and the chat")
    @APIResponse(responseCode = "200", description = "The token; name is the name as others see it, marked as a guest's")
    @APIResponse(responseCode = "404", ref = ApiDocs.NOT_FOUND)
    @APIResponse(responseCode = "429", ref = ApiDocs.TOO_MANY_REQUESTS)
    public GuestToken guest(@Valid @NotNull GuestRequest request, @Context HttpServerRequest http) {
        limit(http);
        TokenIssuer.Issued issued = issuer.guest(request.name());
        return new GuestToken(issued.token(), issued.expiresAt(), TokenIssuer.markedGuestName(request.name()));
    }

    /**
     * The same guest for longer: a fresh token with the caller's subject and name, so a chat that renews its token
     * before it expires stays the same user (a new guest token would be someone else).
     */
    @POST
    @Path("guest/renewal")
    @RolesAllowed(Roles.GUEST)
    @Operation(operationId = "renewGuestToken", summary = "A fresh token for the guest holding this one: same user, same name")
    @APIResponse(responseCode = "200", description = "The new token, for the same subject and name")
    @APIResponse(responseCode = "404", ref = ApiDocs.NOT_FOUND)
    @APIResponse(responseCode = "429", ref = ApiDocs.TOO_MANY_REQUESTS)
    public GuestToken renew(@Context HttpServerRequest http) {
        limit(http);
        String name = caller.getClaim("preferred_username");
        TokenIssuer.Issued issued = issuer.renewedGuest(caller.getSubject(), name);
        return new GuestToken(issued.token(), issued.expiresAt(), name);
    }

    /** Guest tokens are enabled, and this address has not had too many of them lately. */
    private void limit(HttpServerRequest http) {
        if (!issuer.guestsEnabled()) {
            throw new ProblemException(Problem.of(404, "Not Found", "Guest tokens are not enabled on this service"));
        }
        long retryAfter = limits.take(http.remoteAddress().hostAddress(), System.currentTimeMillis());
        if (retryAfter > 0) {
            throw new ProblemException(Problem.of(429, "Too Many Requests", "Too many guest tokens for your address;"
                    + " try again in " + retryAfter + " s"), String.valueOf(retryAfter));
        }
    }
}
