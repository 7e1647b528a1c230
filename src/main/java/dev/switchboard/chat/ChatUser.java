package dev.switchboard.chat;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Who is speaking, from the token the connection was opened with: {@code user} is the token's subject (what
 * tells two people apart), {@code name} what others see. Also the form a welcome lists presence in.
 */
@RegisterForReflection
public record ChatUser(String user, String name) {

    /** Longest display name kept; a longer claim is cut (names are shown, not trusted). */
    static final int MAX_NAME = 64;

    /** The token's {@code preferred_username}, else its {@code name}, else its subject; guests' names carry their mark. */
    static ChatUser of(JsonWebToken token) {
        String subject = token.getSubject() != null ? token.getSubject() : token.getName();
        String name = firstPresent(token.getClaim("preferred_username"), token.getClaim("name"), subject);
        return new ChatUser(subject, displayable(name));
    }

    private static String firstPresent(Object... claims) {
        for (Object claim : claims) {
            if (claim != null && !claim.toString().isBlank()) {
                return claim.toString();
            }
        }
        return "";
    }

    /** Without control characters or unpaired surrogates (PostgreSQL stores neither), at most {@link #MAX_NAME} code points. */
    private static String displayable(String name) {
        StringBuilder kept = new StringBuilder();
        name.strip().codePoints()
                .filter(c -> Character.getType(c) != Character.CONTROL && Character.getType(c) != Character.SURROGATE)
                .limit(MAX_NAME)
                .forEach(kept::appendCodePoint);
        return kept.toString();
    }
}
