package dev.switchboard.chat;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.switchboard.identity.Roles;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who may enter a private room (the chat's one rule that is not an annotation): rooms matching
 * {@code switchboard.chat.private-rooms} are open to admins and to tokens whose {@code rooms} claim names them
 * (or a pattern matching them); every other room is open to every valid token. The same rule guards the
 * upgrade ({@link PrivateRoomCheck}), the history and the room list ({@link RoomResource}).
 */
@ApplicationScoped
public class PrivateRooms {

    /** The token claim listing the private rooms (names or patterns) its holder may enter. */
    static final String ROOMS_CLAIM = "rooms";

    private final List<Pattern> privateRooms;

    PrivateRooms(ChatConfig config) {
        this.privateRooms = config.privateRooms().orElse(List.of()).stream().map(PrivateRooms::glob).toList();
    }

    public boolean isPrivate(String room) {
        return privateRooms.stream().anyMatch(pattern -> pattern.matcher(room).matches());
    }

    /** Whether {@code caller} (possibly anonymous) may enter, read and see {@code room}. */
    public boolean mayEnter(SecurityIdentity caller, String room) {
        if (!isPrivate(room)) {
            return true;
        }
        if (caller.isAnonymous()) {
            return false;
        }
        if (caller.hasRole(Roles.ADMIN)) {
            return true;
        }
        return caller.getPrincipal() instanceof JsonWebToken token && granted(token.getClaim(ROOMS_CLAIM), room);
    }

    private static boolean granted(Object claim, String room) {
        if (claim instanceof Collection<?> names) {
            return names.stream().anyMatch(name -> glob(unquoted(name)).matcher(room).matches());
        }
        return claim != null && glob(unquoted(claim)).matcher(room).matches();
    }

    /** A claim's string value: an array claim holds JSON values, whose toString() would keep the quotes. */
    private static String unquoted(Object value) {
        return value instanceof JsonString string ? string.getString() : value.toString();
    }

    /** A name or a pattern where {@code *} stands for any characters; everything else is literal. */
    static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
