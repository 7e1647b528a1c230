package dev.switchboard.fanout.aggregate;

import java.time.Duration;
import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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

import dev.switchboard.platform.ApiDocs;
import dev.switchboard.platform.Problem;
import io.smallrye.mutiny.Uni;

@Path("/api/aggregate")
@Tag(name = "Fan-out")
public class AggregateResource {

    static final String COMPLETE_HEADER = "X-Fanout-Complete";
    static final String SERVER_TIMING_HEADER = "Server-Timing";

    private final SourceCatalog catalog;
    private final FanoutService fanout;

    AggregateResource(SourceCatalog catalog, FanoutService fanout) {
        this.catalog = catalog;
        this.fanout = fanout;
    }

    /**
     * Calls the chosen sources (all when none is named) at once. 200 when at least one is ok (partial
     * results included), 502 problem+json with every outcome when none is. The caller's {@code Authorization}
     * goes to the sources on this service only, so they answer what the caller may see.
     */
    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "aggregate", summary = "Call the configured sources at once and list each outcome")
    @APIResponse(responseCode = "200", description = "At least one source was ok (X-Fanout-Complete says whether all were)",
            headers = { @Header(ref = ApiDocs.FANOUT_COMPLETE), @Header(ref = ApiDocs.SERVER_TIMING) },
            content = @Content(schema = @Schema(implementation = Aggregate.class)))
    @APIResponse(responseCode = "400", ref = ApiDocs.SOURCE_BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = ApiDocs.FANOUT_FAILED)
    @APIResponse(responseCode = "503", ref = ApiDocs.FANOUT_BUSY)
    public Uni<Response> aggregate(
            @Parameter(description = "Source names to call (all when none); each must be configured")
            @QueryParam("source") List<String> source,
            @Parameter(description = "Caps the whole request in ms, waiting for a slot included")
            @QueryParam("deadlineMs") @Min(1) @Max(30000) Integer deadlineMs,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        List<UpstreamSource> chosen = catalog.pick(source);
        Duration deadline = deadlineMs == null ? null : Duration.ofMillis(deadlineMs);
        return fanout.aggregate(chosen, deadline, authorization).map(AggregateResource::respond);
    }

    private static Response respond(Aggregate result) {
        if (!result.anyOk()) {
            Problem problem = Problem.of(502, "Bad Gateway", "None of the " + result.sources().size()
                    + " sources answered successfully")
                    .with("complete", false)
                    .with("elapsedMs", result.elapsedMs())
                    .with("sources", result.sources());
            return Response.status(502).type(Problem.MEDIA_TYPE).entity(problem)
                    .header(COMPLETE_HEADER, "false").header(SERVER_TIMING_HEADER, serverTiming(result)).build();
        }
        return Response.ok(result, MediaType.APPLICATION_JSON_TYPE)
                .header(COMPLETE_HEADER, Boolean.toString(result.complete()))
                .header(SERVER_TIMING_HEADER, serverTiming(result)).build();
    }

    /**
     * One {@code Server-Timing} entry per source, so a browser's network panel shows where the time went:
     * {@code users;dur=11;desc="ok", orders;dur=8;desc="timeout"}.
     */
    static String serverTiming(Aggregate result) {
        StringBuilder header = new StringBuilder(32 * result.sources().size());
        for (SourceOutcome source : result.sources()) {
            if (!header.isEmpty()) {
                header.append(", ");
            }
            header.append(token(source.name())).append(";dur=").append(source.elapsedMs())
                    .append(";desc=\"").append(source.outcome().label()).append('"');
        }
        return header.toString();
    }

    // Source names come from configuration; anything a header token cannot hold becomes '_'.
    private static String token(String name) {
        StringBuilder token = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            token.append(c < 128 && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0) ? c : '_');
        }
        return token.toString();
    }
}
