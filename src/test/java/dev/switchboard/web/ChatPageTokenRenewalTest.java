package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.Browser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The page renews its guest token before it expires (a minute ahead; here the tokens live 65 s, so after about
 * 5 s), stays the same user, and moves to a new socket with {@code since} without the others seeing it leave,
 * and without a gap.
 */
@QuarkusTest
@TestProfile(ChatPageTokenRenewalTest.ShortGuestTokens.class)
class ChatPageTokenRenewalTest {

    public static class ShortGuestTokens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.security.guests.lifetime", "65s");
        }
    }

    @TestHTTPResource("/")
    URL page;

    static Browser ada;
    static Browser bob;

    @AfterAll
    static void closeBrowsers() {
        for (Browser browser : new Browser[] { ada, bob }) {
            if (browser != null) {
                browser.close();
            }
        }
    }

    @Test
    void theTokenIsRenewedAndTheSocketReplacedWithoutALeaveOrAGap() {
        ada = Browser.open(Browser.DESKTOP);
        bob = Browser.open(Browser.DESKTOP);
        String room = ChatPageTest.freshRoom();
        ChatPageTest.join(ada, page, "Ada", room);
        ChatPageTest.join(bob, page, "Bob", room);
        bob.waitUntil(d -> ChatPageTest.online(bob).contains("Ada (guest)"));

        // The renewal: the same guest's fresh token, then a new socket whose welcome replaces the old one.
        ada.waitUntil(d -> renewals(ada) >= 1);
        ChatPageTest.say(bob, "right after the renewal");
        ada.waitUntil(d -> ChatPageTest.texts(ada).contains("right after the renewal"));
        ChatPageTest.say(ada, "still here");
        bob.waitUntil(d -> ChatPageTest.texts(bob).contains("still here"));

        assertThat(ChatPageTest.notices(bob)).as("the renewal is not seen as Ada leaving").doesNotContain("Ada (guest) left");
        assertThat(ChatPageTest.texts(ada)).containsExactly("right after the renewal", "still here");
        assertThat(ada.find("#chat-status").getDomAttribute("data-state")).isEqualTo("open");
    }

    private static long renewals(Browser browser) {
        return (Long) browser.script("return performance.getEntriesByType('resource')"
                + ".filter(e => e.name.endsWith('/api/auth/guest/renewal')).length");
    }
}
