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

import dev.switchboard.platform.ProblemException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

/** Chat rooms over HTTP: who is online where, and history pages. Public for now: the chat has no identity yet. */
@Path("/api/rooms")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class RoomResource {

    /** One page of history, oldest first; {@code before} is the value for the next (older) page, null on the last. */
    @RegisterForReflection
    public record MessagePage(List<ChatMessage> items, Long before) {
    }

    private final MessageRepository messages;
    private final ChatConfig config;

    RoomResource(MessageRepository messages, ChatConfig config) {
        this.messages = messages;
        this.config = config;
    }

    /** Rooms with messages or people, busiest first; {@code online} counts connections on every live replica. */
    @GET
    public Uni<List<MessageRepository.RoomSummary>> rooms(
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return messages.rooms(config.replicaTimeout(), limit);
    }

    @GET
    @Path("{room}/messages")
    public Uni<MessagePage> messages(@PathParam("room") String room,
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
