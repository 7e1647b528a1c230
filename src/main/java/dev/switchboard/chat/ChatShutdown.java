package dev.switchboard.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.quarkus.websockets.next.CloseReason;
import io.smallrye.mutiny.Uni;

/**
 * The chat's part of a graceful shutdown: once nothing accepted is left unstored, unreplayed or
 * unwritten (or the flush timeout has passed), every connection is closed with 1001. Chat loop only.
 */
final class ChatShutdown {

    private final RoomRegistry registry;
    private final MessageWriter writer;
    private final ChatLoop loop;

    ChatShutdown(RoomRegistry registry, MessageWriter writer, ChatLoop loop) {
        this.registry = registry;
        this.writer = writer;
        this.loop = loop;
    }

    /** Completes once every connection was sent its 1001 close (or the attempt failed). */
    void closeWhenFlushed(long deadline, CompletableFuture<Void> closed) {
        boolean busy = writer.busy() || registry.rooms().stream().anyMatch(room -> room.replaying)
                || registry.members().stream().anyMatch(member -> !member.closing && !member.outbox.flushed());
        if (busy && System.nanoTime() < deadline) {
            loop.after(20, () -> closeWhenFlushed(deadline, closed));
            return;
        }
        List<Uni<Void>> closing = new ArrayList<>();
        for (Member member : List.copyOf(registry.members())) {
            member.closing = true;
            if (!member.connection.isClosed()) {
                member.endsBy(ConnectionEnding.SHUTDOWN);
                closing.add(member.connection.close(new CloseReason(1001, "server shutting down"))
                        .onFailure().recoverWithNull());
            }
        }
        if (closing.isEmpty()) {
            closed.complete(null);
        } else {
            Uni.join().all(closing).andCollectFailures().subscribe().with(x -> closed.complete(null),
                    e -> closed.complete(null));
        }
    }
}
