package dev.switchboard.chat;

import io.quarkus.websockets.next.CloseReason;

/**
 * Puts frames into members' outboxes: a broadcast hands one encoded frame to every member of the room,
 * each message at most once per member and in id order. Chat loop only, except {@link #send}.
 */
final class Delivery {

    private final ChatConfig config;
    private final ChatMetrics metrics;

    Delivery(ChatConfig config, ChatMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    void broadcast(Room room, Outgoing outgoing) {
        int sent = 0;
        for (Member member : room.members) {
            if (deliver(member, outgoing)) {
                sent++;
            }
        }
        metrics.sent(sent);
    }

    /** Sends the message unless the member already has it or wrote it; true when a frame was queued. */
    boolean deliver(Member member, Outgoing outgoing) {
        if (!member.ready) {
            if (!member.holdEarly(outgoing, config.maxOutboundFrames())) {
                slowConsumer(member); // still joining while the room outpaces it: the outbox's frame bound
            }
            return false;
        }
        long id = outgoing.message().id();
        if (id <= member.delivered) {
            return false;
        }
        member.delivered = id;
        if (member == outgoing.origin()) {
            return false; // the sender got an ack instead
        }
        return send(member, outgoing.frame());
    }

    /** Presence and the like: to every welcomed member but one. */
    void toRoom(Room room, Frame frame, Member except) {
        for (Member member : room.members) {
            if (member != except && member.ready) {
                send(member, frame);
            }
        }
    }

    /** Acks and errors: never before the welcome, so they wait until it was queued. */
    void sendWhenWelcomed(Member member, Frame frame) {
        if (member.ready) {
            send(member, frame);
        } else if (!member.closing && !member.holdUntilWelcomed(frame, config.maxOutboundFrames())) {
            slowConsumer(member);
        }
    }

    /** Queues the frame; a member whose outbox is full is a slow consumer and is closed. Safe from any thread. */
    boolean send(Member member, Frame frame) {
        if (member.closing) {
            return false;
        }
        if (member.outbox.offer(frame)) {
            return true;
        }
        slowConsumer(member);
        return false;
    }

    void slowConsumer(Member member) {
        if (member.closing) {
            return;
        }
        metrics.slowConsumerClosed();
        member.endsBy(ConnectionEnding.SLOW_CONSUMER);
        close(member, 1013, "slow consumer: more than " + config.maxOutboundFrames() + " frames or "
                + config.maxOutboundBytes().asLongValue() + " bytes waiting to be sent");
    }

    /** Closes with a code and reason at once, dropping what waits in its outbox. */
    static void close(Member member, int code, String reason) {
        member.closing = true;
        member.outbox.close();
        if (!member.connection.isClosed()) {
            member.connection.close(new CloseReason(code, reason)).subscribe().with(x -> {
            }, e -> {
            });
        }
    }
}
