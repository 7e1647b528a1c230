package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/** Who a token says is speaking, without a socket. */
class ChatUserTest {

    @Test
    void theNameIsThePreferredUsernameElseTheNameElseTheSubject() {
        assertThat(ChatUser.of(token(Map.of("sub", "u1", "preferred_username", "ada", "name", "Ada Lovelace"))))
                .isEqualTo(new ChatUser("u1", "ada"));
        assertThat(ChatUser.of(token(Map.of("sub", "u1", "name", "Ada Lovelace")))).isEqualTo(new ChatUser("u1", "Ada Lovelace"));
        assertThat(ChatUser.of(token(Map.of("sub", "u1", "preferred_username", " ")))).isEqualTo(new ChatUser("u1", "u1"));
    }

    @Test
    void namesAreCutToSomethingShownAndStored() {
        assertThat(ChatUser.of(token(Map.of("sub", "u1", "preferred_username", "tab\there\u0000")))).extracting(ChatUser::name)
                .isEqualTo("tabhere");
        assertThat(ChatUser.of(token(Map.of("sub", "u1", "preferred_username", "ada\uD800")))).extracting(ChatUser::name)
                .as("a lone surrogate cannot be stored").isEqualTo("ada");
        assertThat(ChatUser.of(token(Map.of("sub", "u1", "preferred_username", "\uD83D\uDE00".repeat(70))))).extracting(ChatUser::name)
                .isEqualTo("\uD83D\uDE00".repeat(ChatUser.MAX_NAME));
    }

    private static JsonWebToken token(Map<String, Object> claims) {
        Map<String, Object> all = new HashMap<>(claims);
        return new JsonWebToken() {
            @Override
            public String getName() {
                return (String) all.get("sub");
            }

            @Override
            public Set<String> getClaimNames() {
                return all.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String claimName) {
                return (T) all.get(claimName);
            }
        };
    }
}
