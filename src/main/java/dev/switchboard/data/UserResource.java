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

import org.jboss.resteasy.reactive.RestResponse;

import dev.switchboard.identity.Owners;
import dev.switchboard.identity.Roles;
import dev.switchboard.platform.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
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
    public Uni<Page<User>> list(
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit,
            @QueryParam("after") @DefaultValue("0") @Min(0) long after) {
        return users.list(after, limit);
    }

    /** Admins read anyone; others only the user with their token's email (403 for any other id, existing or not). */
    @GET
    @Path("{id}")
    @Authenticated
    public Uni<RestResponse<User>> get(@PathParam("id") long id) {
        return users.findById(id)
                .call(user -> owners.scope().invoke(scope -> scope.require(user == null ? null : user.email())))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("user", id))
                .map(user -> IfMatch.tagged(user, user.version()));
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> create(@Valid @NotNull UserInput input, @Context HttpHeaders headers) {
        return creates.create("/api/users", headers, input, tx -> users.insert(tx, input)
                .map(user -> new IdempotentCreates.Created("/api/users/" + user.id(), user.version(), user)));
    }

    @PUT
    @RolesAllowed(Roles.ADMIN)
    @Path("{id}")
    public Uni<RestResponse<User>> update(@PathParam("id") long id, @Context HttpHeaders headers,
            @Valid @NotNull UserInput input) {
        return users.update(id, input, IfMatch.parse(headers, "/api/users/" + id))
                .onItem().ifNull().switchTo(() -> IfMatch.refused("user", id, () -> users.version(id)))
                .map(user -> IfMatch.tagged(user, user.version()));
    }

    @DELETE
    @RolesAllowed(Roles.ADMIN)
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") long id, @Context HttpHeaders headers) {
        return users.delete(id, IfMatch.parse(headers, "/api/users/" + id))
                .flatMap(deleted -> deleted ? Uni.createFrom().item(Response.noContent().build())
                        : IfMatch.refused("user", id, () -> users.version(id)));
    }
}
