package dev.switchboard.data;

import jakarta.annotation.security.PermitAll;
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

import dev.switchboard.identity.Roles;
import dev.switchboard.platform.ApiDocs;
import dev.switchboard.platform.ProblemException;
import io.smallrye.mutiny.Uni;

@Path("/api/products")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Products")
@APIResponse(responseCode = "503", ref = ApiDocs.DATABASE_UNAVAILABLE)
public class ProductResource {

    private final ProductRepository products;
    private final IdempotentCreates creates;

    ProductResource(ProductRepository products, IdempotentCreates creates) {
        this.products = products;
        this.creates = creates;
    }

    @GET
    @PermitAll
    @Operation(operationId = "listProducts", summary = "A page of products, by id")
    @APIResponse(responseCode = "200", description = "A page")
    public Uni<Page<Product>> list(
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit,
            @QueryParam("after") @DefaultValue("0") @Min(0) long after) {
        return products.list(after, limit);
    }

    @GET
    @PermitAll
    @Path("{id}")
    @Operation(operationId = "getProduct", summary = "One product, with its ETag")
    @APIResponse(responseCode = "200", description = "The product", headers = @Header(ref = ApiDocs.ETAG),
            content = @Content(schema = @Schema(implementation = Product.class)))
    @APIResponse(responseCode = "404", ref = ApiDocs.NOT_FOUND)
    public Uni<RestResponse<Product>> get(@PathParam("id") long id) {
        return products.findById(id).onItem().ifNull().failWith(() -> ProblemException.notFound("product", id))
                .map(product -> IfMatch.tagged(product, product.version()));
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "createProduct", summary = "Create a product")
    @Parameter(ref = ApiDocs.IDEMPOTENCY_KEY)
    @APIResponse(responseCode = "201", description = "Created", headers = { @Header(ref = ApiDocs.LOCATION),
            @Header(ref = ApiDocs.ETAG) }, content = @Content(schema = @Schema(implementation = Product.class)))
    public Uni<Response> create(@Valid @NotNull ProductInput input, @Context HttpHeaders headers) {
        return creates.create("/api/products", headers, input, tx -> products.insert(tx, input)
                .map(product -> new IdempotentCreates.Created("/api/products/" + product.id(), product.version(), product)));
    }

    @PUT
    @RolesAllowed(Roles.ADMIN)
    @Path("{id}")
    @Operation(operationId = "replaceProduct", summary = "Replace a product's name, price and stock")
    @Parameter(ref = ApiDocs.IF_MATCH)
    @APIResponse(responseCode = "200", description = "Replaced", headers = @Header(ref = ApiDocs.ETAG),
            content = @Content(schema = @Schema(implementation = Product.class)))
    @APIResponse(responseCode = "404", ref = ApiDocs.NOT_FOUND)
    public Uni<RestResponse<Product>> update(@PathParam("id") long id, @Context HttpHeaders headers,
            @Valid @NotNull ProductInput input) {
        return products.update(id, input, IfMatch.parse(headers, "/api/products/" + id))
                .onItem().ifNull().switchTo(() -> IfMatch.refused("product", id, () -> products.version(id)))
                .map(product -> IfMatch.tagged(product, product.version()));
    }

    @DELETE
    @RolesAllowed(Roles.ADMIN)
    @Path("{id}")
    @Operation(operationId = "deleteProduct", summary = "Delete a product; 409 once it has been ordered")
    @Parameter(ref = ApiDocs.IF_MATCH)
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", ref = ApiDocs.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiDocs.CONFLICT)
    public Uni<Response> delete(@PathParam("id") long id, @Context HttpHeaders headers) {
        return products.delete(id, IfMatch.parse(headers, "/api/products/" + id))
                .flatMap(deleted -> deleted ? Uni.createFrom().item(Response.noContent().build())
                        : IfMatch.refused("product", id, () -> products.version(id)));
    }
}
