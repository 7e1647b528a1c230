package dev.switchboard.data;

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

import dev.switchboard.platform.ProblemException;
import io.smallrye.mutiny.Uni;

@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UserResource {

    private final UserRepository users;
    private final IdempotentCreates creates;

    UserResource(UserRepository users, IdempotentCreates creates) {
        this.users = users;
        this.creates = creates;
    }

    @GET
    public Uni<Page<User>> list(
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit,
            @QueryParam("after") @DefaultValue("0") @Min(0) long after) {
        return users.list(after, limit);
    }

    @GET
    @Path("{id}")
    public Uni<RestResponse<User>> get(@PathParam("id") long id) {
        return users.findById(id).onItem().ifNull().failWith(() -> ProblemException.notFound("user", id))
                .map(user -> IfMatch.tagged(user, user.version()));
    }

    @POST
    public Uni<Response> create(@Valid @NotNull UserInput input, @Context HttpHeaders headers) {
        return creates.create("/api/users", headers, input, tx -> users.insert(tx, input)
                .map(user -> new IdempotentCreates.Created("/api/users/" + user.id(), user.version(), user)));
    }

    @PUT
    @Path("{id}")
    public Uni<RestResponse<User>> update(@PathParam("id") long id, @Context HttpHeaders headers,
            @Valid @NotNull UserInput input) {
        return users.update(id, input, IfMatch.parse(headers, "/api/users/" + id))
                .onItem().ifNull().switchTo(() -> IfMatch.refused("user", id, () -> users.version(id)))
                .map(user -> IfMatch.tagged(user, user.version()));
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") long id, @Context HttpHeaders headers) {
        return users.delete(id, IfMatch.parse(headers, "/api/users/" + id))
                .flatMap(deleted -> deleted ? Uni.createFrom().item(Response.noContent().build())
                        : IfMatch.refused("user", id, () -> users.version(id)));
    }
}
