package dev.switchboard.data;

import java.net.URI;

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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.switchboard.platform.ProblemException;
import io.smallrye.mutiny.Uni;

@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UserResource {

    private final UserRepository users;

    UserResource(UserRepository users) {
        this.users = users;
    }

    @GET
    public Uni<Page<User>> list(
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit,
            @QueryParam("after") @DefaultValue("0") @Min(0) long after) {
        return users.list(after, limit);
    }

    @GET
    @Path("{id}")
    public Uni<User> get(@PathParam("id") long id) {
        return users.findById(id).onItem().ifNull().failWith(() -> ProblemException.notFound("user", id));
    }

    @POST
    public Uni<Response> create(@Valid @NotNull UserInput input) {
        return users.insert(input)
                .map(user -> Response.created(URI.create("/api/users/" + user.id())).entity(user).build());
    }

    @PUT
    @Path("{id}")
    public Uni<User> update(@PathParam("id") long id, @Valid @NotNull UserInput input) {
        return users.update(id, input).onItem().ifNull().failWith(() -> ProblemException.notFound("user", id));
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") long id) {
        return users.delete(id).map(deleted -> {
            if (!deleted) {
                throw ProblemException.notFound("user", id);
            }
            return Response.noContent().build();
        });
    }
}
