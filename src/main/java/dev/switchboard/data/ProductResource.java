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

@Path("/api/products")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProductResource {

    private final ProductRepository products;

    ProductResource(ProductRepository products) {
        this.products = products;
    }

    @GET
    public Uni<Page<Product>> list(
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit,
            @QueryParam("after") @DefaultValue("0") @Min(0) long after) {
        return products.list(after, limit);
    }

    @GET
    @Path("{id}")
    public Uni<Product> get(@PathParam("id") long id) {
        return products.findById(id).onItem().ifNull().failWith(() -> ProblemException.notFound("product", id));
    }

    @POST
    public Uni<Response> create(@Valid @NotNull ProductInput input) {
        return products.insert(input)
                .map(product -> Response.created(URI.create("/api/products/" + product.id())).entity(product).build());
    }

    @PUT
    @Path("{id}")
    public Uni<Product> update(@PathParam("id") long id, @Valid @NotNull ProductInput input) {
        return products.update(id, input).onItem().ifNull().failWith(() -> ProblemException.notFound("product", id));
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") long id) {
        return products.delete(id).map(deleted -> {
            if (!deleted) {
                throw ProblemException.notFound("product", id);
            }
            return Response.noContent().build();
        });
    }
}
