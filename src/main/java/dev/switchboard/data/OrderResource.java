package dev.switchboard.data;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

import dev.switchboard.identity.Owners;
import dev.switchboard.platform.ApiDocs;
import dev.switchboard.platform.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

@Path("/api/orders")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Orders")
@APIResponse(responseCode = "503", ref = ApiDocs.DATABASE_UNAVAILABLE)
public class OrderResource {

    private final OrderService service;
    private final OrderRepository orders;
    private final IdempotentCreates creates;
    private final UserRepository users;
    private final Owners owners;

    OrderResource(OrderService service, OrderRepository orders, IdempotentCreates creates, UserRepository users, Owners owners) {
        this.service = service;
        this.orders = orders;
        this.creates = creates;
        this.users = users;
        this.owners = owners;
    }

    /** Admins list anyone's orders (all, or one user's); others their own, with or without {@code userId}. */
    @GET
    @Authenticated
    @Operation(operationId = "listOrders", summary = "A page of orders (of one user with userId), by id")
    @APIResponse(responseCode = "200", description = "A page")
    public Uni<Page<Order>> list(
            @QueryParam("userId") @Positive Long userId,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit,
            @QueryParam("after") @DefaultValue("0") @Min(0) long after) {
        return owners.scope().flatMap(scope -> {
            if (scope.all()) {
                return orders.list(userId, after, limit);
            }
            if (userId != null) {
                return users.emailOf(userId).invoke(scope::require).flatMap(owner -> orders.list(userId, after, limit));
            }
            return users.idByEmail(scope.email()).flatMap(own -> own == null
                    ? Uni.createFrom().item(new Page<Order>(List.of(), null))
                    : orders.list(own, after, limit));
        });
    }

    @GET
    @Path("{id}")
    @Authenticated
    @Operation(operationId = "getOrder", summary = "One order with its items")
    @APIResponse(responseCode = "200", description = "The order", content = @Content(schema = @Schema(implementation = Order.class)))
    @APIResponse(responseCode = "404", ref = ApiDocs.NOT_FOUND)
    public Uni<Order> get(@PathParam("id") long id) {
        return orders.findById(id)
                .call(order -> owners.require(() -> order == null ? Uni.createFrom().nullItem() : users.emailOf(order.userId())))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("order", id));
    }

    /** Admins place orders for anyone; others for the user with their token's email only. */
    @POST
    @Authenticated
    @Operation(operationId = "placeOrder", summary = "Place an order: checks and takes the stock of every item in one transaction")
    @Parameter(ref = ApiDocs.IDEMPOTENCY_KEY)
    @APIResponse(responseCode = "201", description = "Placed", headers = @Header(ref = ApiDocs.LOCATION),
            content = @Content(schema = @Schema(implementation = Order.class)))
    @APIResponse(responseCode = "404", ref = ApiDocs.ORDER_NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiDocs.STOCK_SHORTAGE)
    public Uni<Response> place(@Valid @NotNull OrderInput input, @Context HttpHeaders headers) {
        return owners.require(() -> users.emailOf(input.userId()))
                .flatMap(allowed -> creates.create("/api/orders", headers, input, tx -> service.place(tx, input)
                        .map(order -> new IdempotentCreates.Created("/api/orders/" + order.id(), null, order))));
    }
}
