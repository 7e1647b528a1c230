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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.switchboard.platform.ApiDocs;
import dev.switchboard.platform.ProblemException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * Chat rooms over HTTP: who is online where, and history pages. Public but for private rooms, which follow the
 * socket's rule ({@link PrivateRooms}): their history needs a token that may enter them, and the list shows a
 * caller only the rooms it may enter. The token is optional: an invalid one is refused with 401.
 */
@Path("/api/rooms")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
@SecurityRequirementsSet
@SecurityRequirementsSet(@SecurityRequirement(name = ApiDocs.BEARER))
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
    private final PrivateRooms privateRooms;
    private final CurrentIdentityAssociation identities;

    RoomResource(MessageRepository messages, ChatConfig config, PrivateRooms privateRooms,
            CurrentIdentityAssociation identities) {
        this.messages = messages;
        this.config = config;
        this.privateRooms = privateRooms;
        this.identities = identities;
    }

    /**
     * Rooms with messages or people that the caller may enter, busiest first; {@code online} counts connections on
     * every live replica. Private rooms the caller may not enter are left out (so a page may hold fewer than
     * {@code limit}).
     */
    @GET
    @Operation(operationId = "listRooms", summary = "Rooms with messages or people, busiest first")
    @APIResponse(responseCode = "200", description = "The rooms the caller may enter")
    public Uni<List<MessageRepository.RoomSummary>> rooms(
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return messages.rooms(config.replicaTimeout(), limit).flatMap(rooms -> {
            if (rooms.stream().noneMatch(summary -> privateRooms.isPrivate(summary.room()))) {
                return Uni.createFrom().item(rooms);
            }
            return identities.getDeferredIdentity().map(caller -> rooms.stream()
                    .filter(summary -> privateRooms.mayEnter(caller, summary.room())).toList());
        });
    }

    @GET
    @Path("{room}/messages")
    @Operation(operationId = "listMessages", summary = "A page of a room's history, oldest first")
    @APIResponse(responseCode = "200", description = "The page")
    @APIResponse(responseCode = "403", ref = ApiDocs.FORBIDDEN)
    public Uni<MessagePage> messages(
            @Parameter(schema = @Schema(type = SchemaType.STRING, pattern = "^[A-Za-z0-9._-]{1,64}$")) @PathParam("room") String room,
            @QueryParam("before") @Min(1) Long before,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        String problem = ChatRules.roomProblem(room);
        if (problem != null) {
            throw ProblemException.badRequest(problem);
        }
        Uni<Void> allowed = !privateRooms.isPrivate(room) ? Uni.createFrom().voidItem()
                : identities.getDeferredIdentity().invoke(caller -> {
                    if (caller.isAnonymous()) {
                        throw new UnauthorizedException();
                    }
                    if (!privateRooms.mayEnter(caller, room)) {
                        throw new ForbiddenException();
                    }
                }).replaceWithVoid();
        return allowed.flatMap(x -> messages.before(room, before == null ? Long.MAX_VALUE : before, limit + 1)).map(rows -> {
            if (rows.size() <= limit) {
                return new MessagePage(rows, null);
            }
            List<ChatMessage> page = List.copyOf(rows.subList(1, rows.size()));
            return new MessagePage(page, page.get(0).id());
        });
    }
}
