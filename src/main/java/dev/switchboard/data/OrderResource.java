package dev.switchboard.data;

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

import dev.switchboard.platform.ProblemException;
import io.smallrye.mutiny.Uni;

@Path("/api/orders")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OrderResource {

    private final OrderService service;
    private final OrderRepository orders;
    private final IdempotentCreates creates;

    OrderResource(OrderService service, OrderRepository orders, IdempotentCreates creates) {
        this.service = service;
        this.orders = orders;
        this.creates = creates;
    }

    @GET
    public Uni<Page<Order>> list(
            @QueryParam("userId") @Positive Long userId,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit,
            @QueryParam("after") @DefaultValue("0") @Min(0) long after) {
        return orders.list(userId, after, limit);
    }

    @GET
    @Path("{id}")
    public Uni<Order> get(@PathParam("id") long id) {
        return orders.findById(id).onItem().ifNull().failWith(() -> ProblemException.notFound("order", id));
    }

    @POST
    public Uni<Response> place(@Valid @NotNull OrderInput input, @Context HttpHeaders headers) {
        return creates.create("/api/orders", headers, input, tx -> service.place(tx, input)
                .map(order -> new IdempotentCreates.Created("/api/orders/" + order.id(), null, order)));
    }
}
