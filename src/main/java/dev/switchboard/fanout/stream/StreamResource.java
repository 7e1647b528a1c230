package dev.switchboard.fanout.stream;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import dev.switchboard.fanout.stream.Greeter.Greetings;
import dev.switchboard.fanout.stream.StreamEvents.Done;
import dev.switchboard.fanout.stream.StreamEvents.StreamEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Countdown and greeting streams as Server-Sent Events. Every progress event is an unnamed
 * ({@code message}) event with JSON data; the last one is named {@code done}.
 */
@Path("/api")
@PermitAll
@Tag(name = "Streams")
public class StreamResource {

    private final Countdowns countdowns;
    private final Greeter greeter;
    private final StreamMetrics metrics;

    StreamResource(Countdowns countdowns, Greeter greeter, StreamMetrics metrics) {
        this.countdowns = countdowns;
        this.greeter = greeter;
        this.metrics = metrics;
    }

    @GET
    @Path("countdown")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(operationId = "countdown", summary = "Events {name, n} from from down to 1, one per period, then done")
    public Multi<OutboundSseEvent> countdown(@Context Sse sse,
            @Parameter(schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = StreamInputs.MAX_NAME_LENGTH,
                    pattern = "\\S"))
            @QueryParam("name") @DefaultValue("Countdown") String name,
            @QueryParam("from") @DefaultValue("10") @Min(1) @Max(3600) int from,
            @QueryParam("periodMs") @DefaultValue("1000") @Min(10) @Max(60000) int periodMs) {
        Countdowns.Spec spec = new Countdowns.Spec(StreamInputs.name("name", name), from);
        return events(sse, "countdown", countdowns.single(spec, periodMs));
    }

    @GET
    @Path("countdowns")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(operationId = "countdowns", summary = "Several countdowns merged into one stream, then one done")
    public Multi<OutboundSseEvent> countdowns(@Context Sse sse,
            @Parameter(required = true, description = "name:from, with a name of 1 to 64 characters and from 1 to 3600",
                    schema = @Schema(type = SchemaType.ARRAY, minItems = 1, maxItems = StreamInputs.MAX_COUNTDOWNS,
                            implementation = String.class))
            @QueryParam("c") List<String> c,
            @QueryParam("periodMs") @DefaultValue("1000") @Min(10) @Max(60000) int periodMs) {
        return events(sse, "countdowns", countdowns.merged(StreamInputs.countdowns("c", c), periodMs));
    }

    /** JSON: every name greeted concurrently, so the answer comes after about one delay. */
    @GET
    @Path("greet")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "greet", summary = "A hello and, after delayMs, a goodbye for each name, all at once")
    public Uni<Greetings> greet(
            @Parameter(required = true, description = "Names of 1 to 64 characters, not blank",
                    schema = @Schema(type = SchemaType.ARRAY, minItems = 1, maxItems = StreamInputs.MAX_NAMES, implementation = String.class))
            @QueryParam("name") List<String> name,
            @QueryParam("delayMs") @DefaultValue("1000") @Min(0) @Max(60000) int delayMs) {
        return greeter.greet(StreamInputs.names("name", name), delayMs);
    }

    /** The same greetings as events, for clients that ask for {@code text/event-stream}. */
    @GET
    @Path("greet")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<OutboundSseEvent> greetStream(@Context Sse sse,
            @Parameter(required = true, description = "Names of 1 to 64 characters, not blank",
                    schema = @Schema(type = SchemaType.ARRAY, minItems = 1, maxItems = StreamInputs.MAX_NAMES, implementation = String.class))
            @QueryParam("name") List<String> name,
            @QueryParam("delayMs") @DefaultValue("1000") @Min(0) @Max(60000) int delayMs) {
        return events(sse, "greet", greeter.stream(StreamInputs.names("name", name), delayMs));
    }

    private Multi<OutboundSseEvent> events(Sse sse, String kind, Multi<StreamEvent> items) {
        return metrics.trackStream(kind, items.map(item -> {
            // The data is written as JSON, the stream element type; no per-event media type field needed.
            OutboundSseEvent.Builder event = sse.newEventBuilder().data(item);
            return item instanceof Done ? event.name("done").build() : event.build();
        }));
    }
}
