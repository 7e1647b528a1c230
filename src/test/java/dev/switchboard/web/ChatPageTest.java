package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import dev.switchboard.support.Browser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Two real browsers chatting through the page over the service's WebSocket. */
@QuarkusTest
class ChatPageTest {

    @TestHTTPResource("/")
    URL page;

    static Browser ada;
    static Browser bob;

    @BeforeEach
    void openBrowsers() {
        if (ada == null) {
            ada = Browser.open(Browser.DESKTOP);
        }
        if (bob == null) {
            bob = Browser.open(Browser.DESKTOP);
        }
    }

    @AfterAll
    static void closeBrowsers() {
        if (ada != null) {
            ada.close();
            ada = null;
        }
        if (bob != null) {
            bob.close();
            bob = null;
        }
    }

    @Test
    void twoPeopleInOneRoomSeeEachOtherAndWhoIsOnline() {
        String room = freshRoom();
        join(ada, "Ada", room);
        join(bob, "Bob", room);

        ada.waitUntil(d -> online(ada).containsAll(List.of("Ada (guest)", "Bob (guest)")));
        assertThat(online(bob)).contains("Ada (guest)", "Bob (guest)");
        ada.waitUntil(d -> notices(ada).contains("Bob (guest) joined"));

        say(bob, "Hello Ada");
        say(ada, "Hi Bob, welcome");
        ada.waitUntil(d -> texts(ada).contains("Hello Ada"));
        bob.waitUntil(d -> texts(bob).contains("Hi Bob, welcome"));
        assertThat(senderOf(ada, "Hello Ada")).isEqualTo("Bob (guest)");
        assertThat(senderOf(bob, "Hi Bob, welcome")).isEqualTo("Ada (guest)");
        // Each side has both messages once, in the same order (the order the server numbered them).
        assertThat(texts(ada)).containsExactly("Hello Ada", "Hi Bob, welcome");
        assertThat(texts(bob)).containsExactly("Hello Ada", "Hi Bob, welcome");
        ada.screenshot(ada.find("#chat"), "chat");

        bob.find("#chat-leave-button").click();
        ada.waitUntil(d -> !online(ada).contains("Bob (guest)"));
        ada.waitUntil(d -> notices(ada).contains("Bob (guest) left"));
        assertThat(bob.find("#chat-status").getDomAttribute("data-state")).isEqualTo("idle");

        // A newcomer gets the history.
        join(bob, "Bob", room);
        bob.waitUntil(d -> texts(bob).equals(List.of("Hello Ada", "Hi Bob, welcome")));
    }

    @Test
    void thePageSignsInAsAGuestAndTellsTwoPeopleWithOneNameApart() {
        String room = freshRoom();
        join(ada, "Ada", room);
        assertThat(ada.find("#chat-status").getText()).as("who you are, as the token says").endsWith("as Ada (guest)");
        // An impostor types the same name in another tab: a guest of its own, shown as someone else.
        join(bob, "Ada", room);
        ada.waitUntil(d -> online(ada).size() == 2);
        assertThat(online(ada)).containsExactly("Ada (guest)", "Ada (guest)");
        assertThat(ada.driver().findElements(By.cssSelector("#chat-presence li.me"))).hasSize(1);
        assertThat(bob.driver().findElements(By.cssSelector("#chat-presence li.me"))).hasSize(1);
        assertThat(presenceUsers(ada)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(presenceUsers(bob));

        say(bob, "I am Ada, give me your password");
        ada.waitUntil(d -> texts(ada).contains("I am Ada, give me your password"));
        assertThat(ada.driver().findElements(By.cssSelector("#chat-messages li.mine")))
                .as("the impostor's message is not shown as the reader's own").isEmpty();
        say(ada, "No.");
        assertThat(ada.driver().findElements(By.cssSelector("#chat-messages li.mine"))).hasSize(1);
        bob.waitUntil(d -> texts(bob).contains("No."));
        assertThat(bob.driver().findElements(By.cssSelector("#chat-messages li.mine"))).hasSize(1);
    }

    @Test
    void aReconnectFillsTheGapWithoutDuplicates() {
        String room = freshRoom();
        join(ada, "Ada", room);
        join(bob, "Bob", room);
        ada.waitUntil(d -> online(ada).contains("Bob (guest)"));
        say(bob, "before the drop");
        ada.waitUntil(d -> texts(ada).contains("before the drop"));

        // Drop Ada's socket as a network failure would, and hold her reconnect while Bob talks.
        ada.script("window.switchboard.dropChat(true)");
        ada.waitUntil(d -> "reconnecting".equals(ada.find("#chat-status").getDomAttribute("data-state")));
        bob.waitUntil(d -> !online(bob).contains("Ada (guest)"));
        say(bob, "while you were away 1");
        say(bob, "while you were away 2");
        assertThat(texts(ada)).doesNotContain("while you were away 1", "while you were away 2");

        ada.script("window.switchboard.releaseChat()");
        ada.waitUntil(d -> "open".equals(ada.find("#chat-status").getDomAttribute("data-state")));
        ada.waitUntil(d -> texts(ada).contains("while you were away 2"));
        bob.waitUntil(d -> online(bob).contains("Ada (guest)"));
        say(bob, "after the reconnect");
        ada.waitUntil(d -> texts(ada).contains("after the reconnect"));

        assertThat(texts(ada)).containsExactly(
                "before the drop", "while you were away 1", "while you were away 2", "after the reconnect");
        List<String> ids = ada.driver().findElements(By.cssSelector("#chat-messages li.message")).stream()
                .map(item -> item.getDomAttribute("data-id")).toList();
        assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
    }

    @Test
    void markupFromOthersIsShownAsText() {
        String room = freshRoom();
        join(ada, "Ada", room);
        join(bob, "Bob", room);
        ada.waitUntil(d -> online(ada).contains("Bob (guest)"));
        String evil = "<script>window.hacked = true</script><img src=x onerror=\"window.hacked = true\"> <b>bold?</b>";

        say(bob, evil);

        ada.waitUntil(d -> texts(ada).contains(evil));
        assertThat(senderOf(ada, evil)).isEqualTo("Bob (guest)");
        assertThat(ada.driver().findElements(By.cssSelector("#chat-messages script, #chat-messages img, #chat-messages b, #chat-presence b")))
                .isEmpty();
        assertThat(ada.script("return window.hacked === undefined")).isEqualTo(true);
        ada.screenshot(ada.find("#chat-messages"), "chat-markup-as-text");
    }

    @Test
    void refusedMessagesShowAnInlineError() {
        String room = freshRoom();
        join(ada, "Ada", room);
        int maxLength = ConfigProvider.getConfig().getOptionalValue("switchboard.chat.max-text-length", Integer.class)
                .orElse(2000);

        // Typed into the field through the DOM: sendKeys of thousands of characters is slow.
        ada.script("document.getElementById('chat-text').value = arguments[0]", "x".repeat(maxLength + 1));
        ada.find("#chat-send-button").click();

        WebElement error = ada.find("#chat-error");
        ada.waitUntil(d -> error.isDisplayed());
        assertThat(error.getText()).isNotBlank();
        ada.waitUntil(d -> !d.findElements(By.cssSelector("#chat-messages li.message.failed")).isEmpty());
        // The connection stays usable.
        say(ada, "short enough");
        assertThat(error.isDisplayed()).isFalse();
    }

    @Test
    void aBurstOverTheRateLimitIsPartlyRefusedInline() {
        String room = freshRoom();
        join(ada, "Ada", room);
        join(bob, "Bob", room);
        ada.waitUntil(d -> online(ada).contains("Bob (guest)"));
        int burst = ConfigProvider.getConfig().getOptionalValue("switchboard.chat.rate-burst", Integer.class).orElse(10);
        int sent = burst + 15;

        ada.script("""
                const input = document.getElementById('chat-text');
                const form = document.getElementById('chat-send');
                for (let i = 1; i <= arguments[0]; i++) {
                    input.value = 'burst ' + i;
                    form.requestSubmit();
                }""", sent);

        // Every line gets an answer: an id (stored) or struck out (refused).
        ada.waitUntil(d -> d.findElements(By.cssSelector("#chat-messages li.mine.pending")).isEmpty());
        int stored = ada.driver().findElements(By.cssSelector("#chat-messages li.mine[data-id]:not(.failed)")).size();
        int refused = ada.driver().findElements(By.cssSelector("#chat-messages li.mine.failed")).size();
        assertThat(stored + refused).isEqualTo(sent);
        assertThat(refused).isPositive();
        assertThat(stored).isGreaterThanOrEqualTo(burst);
        assertThat(ada.find("#chat-error").getText()).startsWith("Slow down");
        // Bob gets exactly the stored ones, each once: each answer found its line by its ref, not by a guess.
        @SuppressWarnings("unchecked")
        List<String> storedTexts = (List<String>) ada.script("return [...document.querySelectorAll("
                + "'#chat-messages li.mine[data-id]:not(.failed) .text')].map(e => e.textContent)");
        bob.waitUntil(d -> texts(bob).size() == stored);
        assertThat(texts(bob)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(storedTexts);
    }

    @Test
    void reconnectDelaysAreJitteredWithinEachBackoffStep() {
        ada.get(page.toString());
        Object delays = ((JavascriptExecutor) ada.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/js/chat-connection.js').then(chat => done([0, 1, 2, 6, 20].flatMap(attempt =>
                    [chat.retryDelay(attempt, () => 0), chat.retryDelay(attempt, () => 0.999999)])));""");
        assertThat((List<?>) delays).extracting(d -> ((Number) d).longValue())
                .as("[lowest, highest] of attempts 0, 1, 2, 6 and 20: half to all of 250, 500, 1000, 15000 ms")
                .containsExactly(125L, 250L, 250L, 500L, 500L, 1000L, 7500L, 15000L, 7500L, 15000L);
    }

    @Test
    void switchingRoomsWithoutReloadingShowsOnlyTheNewRoom() {
        String first = freshRoom();
        String second = freshRoom();
        join(bob, "Bob", second);
        say(bob, "in the second room");
        join(ada, "Ada", first);
        say(ada, "in the first room");

        WebElement roomInput = ada.find("#chat-room");
        roomInput.clear();
        roomInput.sendKeys(second, Keys.ENTER);

        ada.waitUntil(d -> texts(ada).equals(List.of("in the second room")));
        ada.waitUntil(d -> online(ada).containsAll(List.of("Ada (guest)", "Bob (guest)")));
        // The first room's connection closing afterwards must not reset the page.
        bob.waitUntil(d -> notices(bob).contains("Ada (guest) joined"));
        assertThat(ada.find("#chat-status").getDomAttribute("data-state")).isEqualTo("open");
        assertThat(ada.find("#chat-status").getText()).contains("#" + second);
        say(ada, "hello second room");
        bob.waitUntil(d -> texts(bob).contains("hello second room"));
    }

    static String freshRoom() {
        return "web-" + UUID.randomUUID().toString().substring(0, 8);
    }

    void join(Browser browser, String name, String room) {
        join(browser, page, name, room);
    }

    /** Opens the page, types the name and the room and waits until the chat is open. */
    static void join(Browser browser, URL page, String name, String room) {
        browser.get(page.toString());
        WebElement nameInput = browser.find("#chat-name");
        nameInput.clear();
        nameInput.sendKeys(name);
        WebElement roomInput = browser.find("#chat-room");
        roomInput.clear();
        roomInput.sendKeys(room, Keys.ENTER);
        browser.waitUntil(d -> "open".equals(browser.find("#chat-status").getDomAttribute("data-state")));
    }

    /** Types a message and presses Enter, then waits for the server's ack (the id on the line). */
    static void say(Browser browser, String text) {
        int mineBefore = browser.driver().findElements(By.cssSelector("#chat-messages li.mine")).size();
        WebElement input = browser.find("#chat-text");
        browser.script("arguments[0].value = arguments[1]", input, text);
        input.sendKeys(Keys.ENTER);
        browser.waitUntil(d -> {
            List<WebElement> mine = d.findElements(By.cssSelector("#chat-messages li.mine"));
            return mine.size() > mineBefore && mine.get(mine.size() - 1).getDomAttribute("data-id") != null;
        });
    }

    @SuppressWarnings("unchecked")
    static List<String> texts(Browser browser) {
        return (List<String>) browser.script(
                "return [...document.querySelectorAll('#chat-messages li.message .text')].map(e => e.textContent)");
    }

    @SuppressWarnings("unchecked")
    static List<String> notices(Browser browser) {
        return (List<String>) browser.script(
                "return [...document.querySelectorAll('#chat-messages li.notice')].map(e => e.textContent)");
    }

    @SuppressWarnings("unchecked")
    static List<String> online(Browser browser) {
        return (List<String>) browser.script(
                "return [...document.querySelectorAll('#chat-presence li')].map(e => e.dataset.name)");
    }

    @SuppressWarnings("unchecked")
    static List<String> presenceUsers(Browser browser) {
        return (List<String>) browser.script(
                "return [...document.querySelectorAll('#chat-presence li')].map(e => e.dataset.user)");
    }

    static String senderOf(Browser browser, String text) {
        return (String) browser.script("""
                return [...document.querySelectorAll('#chat-messages li.message')]
                    .find(item => item.querySelector('.text').textContent === arguments[0])
                    ?.querySelector('.from').textContent""", text);
    }
}
