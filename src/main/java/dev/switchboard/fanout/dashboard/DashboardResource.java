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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.switchboard.identity.Owners;
import dev.switchboard.platform.ApiDocs;
import io.smallrye.mutiny.Uni;

@Path("/api/dashboard")
@Tag(name = "Fan-out")
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
    @Operation(operationId = "dashboard", summary = "Counts and the newest users, products and orders, read concurrently")
    @APIResponse(responseCode = "200", description = "The dashboard")
    // Public, and an admin's token shows the users' emails: the token is optional.
    @SecurityRequirementsSet
    @SecurityRequirementsSet(@SecurityRequirement(name = ApiDocs.BEARER))
    @APIResponse(responseCode = "503", ref = ApiDocs.DATABASE_UNAVAILABLE)
    public Uni<Dashboard> dashboard(@QueryParam("limit") @DefaultValue("5") @Min(1) @Max(50) int limit) {
        return owners.isAdmin().flatMap(admin -> dashboards.dashboard(limit, admin));
    }
}
