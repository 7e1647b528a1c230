package dev.switchboard.data;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import dev.switchboard.identity.Owners;
import dev.switchboard.identity.Roles;
import dev.switchboard.platform.ApiDocs;
import dev.switchboard.platform.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Users")
@APIResponse(responseCode = "503", ref = ApiDocs.DATABASE_UNAVAILABLE)
public class UserResource {

    private final UserRepository users;
    private final IdempotentCreates creates;
    private final Owners owners;

    UserResource(UserRepository users, IdempotentCreates creates, Owners owners) {
        this.users = users;
        this.creates = creates;
        this.owners = owners;
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "listUsers", summary = "A page of users, by id")
    @APIResponse(responseCode = "200", description = "A page")
    public Uni<Page<User>> list(
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit,
            @QueryParam("after") @DefaultValue("0") @Min(0) long after) {
        return users.list(after, limit);
    }

    /** Admins read anyone; others only the user with their token's email (403 for any other id, existing or not). */
    @GET
    @Path("{id}")
    @Authenticated
    @Operation(operationId = "getUser", summary = "One user, with its ETag")
    @APIResponse(responseCode = "200", description = "The user", headers = @Header(ref = ApiDocs.ETAG),
            content = @Content(schema = @Schema(implementation = User.class)))
    @APIResponse(responseCode = "404", ref = ApiDocs.NOT_FOUND)
    public Uni<RestResponse<User>> get(@PathParam("id") long id) {
        return users.findById(id)
                .call(user -> owners.scope().invoke(scope -> scope.require(user == null ? null : user.email())))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("user", id))
                .map(user -> IfMatch.tagged(user, user.version()));
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "createUser", summary = "Create a user; 409 when the email is taken (whatever its case)")
    @Parameter(ref = ApiDocs.IDEMPOTENCY_KEY)
    @APIResponse(responseCode = "201", description = "Created", headers = { @Header(ref = ApiDocs.LOCATION),
            @Header(ref = ApiDocs.ETAG) }, content = @Content(schema = @Schema(implementation = User.class)))
    @APIResponse(responseCode = "409", ref = ApiDocs.CONFLICT)
    public Uni<Response> create(@Valid @NotNull UserInput input, @Context HttpHeaders headers) {
        return creates.create("/api/users", headers, input, tx -> users.insert(tx, input)
                .map(user -> new IdempotentCreates.Created("/api/users/" + user.id(), user.version(), user)));
    }

    @PUT
    @RolesAllowed(Roles.ADMIN)
    @Path("{id}")
    @Operation(operationId = "replaceUser", summary = "Replace a user's name and email")
    @Parameter(ref = ApiDocs.IF_MATCH)
    @APIResponse(responseCode = "200", description = "Replaced", headers = @Header(ref = ApiDocs.ETAG),
            content = @Content(schema = @Schema(implementation = User.class)))
    @APIResponse(responseCode = "404", ref = ApiDocs.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiDocs.CONFLICT)
    public Uni<RestResponse<User>> update(@PathParam("id") long id, @Context HttpHeaders headers,
            @Valid @NotNull UserInput input) {
        return users.update(id, input, IfMatch.parse(headers, "/api/users/" + id))
                .onItem().ifNull().switchTo(() -> IfMatch.refused("user", id, () -> users.version(id)))
                .map(user -> IfMatch.tagged(user, user.version()));
    }

    @DELETE
    @RolesAllowed(Roles.ADMIN)
    @Path("{id}")
    @Operation(operationId = "deleteUser", summary = "Delete a user; 409 while it has orders")
    @Parameter(ref = ApiDocs.IF_MATCH)
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", ref = ApiDocs.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiDocs.CONFLICT)
    public Uni<Response> delete(@PathParam("id") long id, @Context HttpHeaders headers) {
        return users.delete(id, IfMatch.parse(headers, "/api/users/" + id))
                .flatMap(deleted -> deleted ? Uni.createFrom().item(Response.noContent().build())
                        : IfMatch.refused("user", id, () -> users.version(id)));
    }
}
