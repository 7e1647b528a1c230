package dev.switchboard.fanout.dashboard;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.switchboard.identity.Owners;
import io.smallrye.mutiny.Uni;

@Path("/api/dashboard")
public class DashboardResource {

    private final DashboardService dashboards;
    private final Owners owners;

    DashboardResource(DashboardService dashboards, Owners owners) {
        this.dashboards = dashboards;
        this.owners = owners;
    }

    /** Counts and the {@code limit} newest users, products and orders; users' emails for admins only. */
    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Dashboard> dashboard(@QueryParam("limit") @DefaultValue("5") @Min(1) @Max(50) int limit) {
        return owners.isAdmin().flatMap(admin -> dashboards.dashboard(limit, admin));
    }
}
