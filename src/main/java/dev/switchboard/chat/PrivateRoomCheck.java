package dev.switchboard.chat;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;

/**
 * The chat endpoint's second rule, beside its {@code @Authenticated}: a private room's upgrade is refused with
 * 403 unless the token may enter it ({@link PrivateRooms}).
 */
@ApplicationScoped
public class PrivateRoomCheck implements HttpUpgradeCheck {

    private static final String PREFIX = "/chat/";

    private final PrivateRooms rooms;

    PrivateRoomCheck(PrivateRooms rooms) {
        this.rooms = rooms;
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return endpointId.equals(ChatSocket.class.getName());
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String path = context.httpRequest().path();
        String room = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
        if (!rooms.isPrivate(room)) {
            return CheckResult.permitUpgrade();
        }
        return context.securityIdentity().map(caller -> rooms.mayEnter(caller, room) ? CheckResult.permitUpgradeSync()
                // Anonymous only if this ran before the framework's check: the same 401 that check gives.
                : CheckResult.rejectUpgradeSync(caller.isAnonymous() ? 401 : 403));
    }
}
