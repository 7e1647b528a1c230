package dev.switchboard.chat;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.switchboard.platform.ApiDocs;
import dev.switchboard.platform.ProblemException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

/** Chat rooms over HTTP: who is online where, and history pages. Public for now: the chat has no identity yet. */
@Path("/api/rooms")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
@Tag(name = "Chat")
@APIResponse(responseCode = "503", ref = ApiDocs.DATABASE_UNAVAILABLE)
public class RoomResource {

    /** One page of history, oldest first; {@code before} is the value for the next (older) page, null on the last. */
    @RegisterForReflection
    @Schema(requiredProperties = { "items", "before" })
    public record MessagePage(List<ChatMessage> items,
            @Schema(nullable = true, description = "The before value for the next, older page; null on the last") Long before) {
    }

    private final MessageRepository messages;
    private final ChatConfig config;

    RoomResource(MessageRepository messages, ChatConfig config) {
        this.messages = messages;
        this.config = config;
    }

    /** Rooms with messages or people, busiest first; {@code online} counts connections on every live replica. */
    @GET
    @Operation(operationId = "listRooms", summary = "Rooms with messages or people, busiest first")
    @APIResponse(responseCode = "200", description = "The rooms")
    public Uni<List<MessageRepository.RoomSummary>> rooms(
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return messages.rooms(config.replicaTimeout(), limit);
    }

    @GET
    @Path("{room}/messages")
    @Operation(operationId = "listMessages", summary = "A page of a room's history, oldest first")
    @APIResponse(responseCode = "200", description = "The page")
    public Uni<MessagePage> messages(
            @Parameter(schema = @Schema(type = SchemaType.STRING, pattern = "^[A-Za-z0-9._-]{1,64}$")) @PathParam("room") String room,
            @QueryParam("before") @Min(1) Long before,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        String problem = ChatRules.roomProblem(room);
        if (problem != null) {
            throw ProblemException.badRequest(problem);
        }
        return messages.before(room, before == null ? Long.MAX_VALUE : before, limit + 1).map(rows -> {
            if (rows.size() <= limit) {
                return new MessagePage(rows, null);
            }
            List<ChatMessage> page = List.copyOf(rows.subList(1, rows.size()));
            return new MessagePage(page, page.get(0).id());
        });
    }
}
