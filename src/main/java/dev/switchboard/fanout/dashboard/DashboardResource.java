package dev.switchboard.fanout.dashboard;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;

@Path("/api/dashboard")
public class DashboardResource {

    private final DashboardService dashboards;

    DashboardResource(DashboardService dashboards) {
        this.dashboards = dashboards;
    }

    /** Counts and the {@code limit} newest users, products and orders. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Dashboard> dashboard(@QueryParam("limit") @DefaultValue("5") @Min(1) @Max(50) int limit) {
        return dashboards.dashboard(limit);
    }
}
