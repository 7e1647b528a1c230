package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

import dev.switchboard.support.Browser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The page itself: served by the service alone, usable by keyboard, labelled, and fitting a phone. */
@QuarkusTest
class PageTest {

    @TestHTTPResource("/")
    URL page;

    static Browser browser;

    @BeforeEach
    void openBrowser() {
        if (browser == null) {
            browser = Browser.open(Browser.DESKTOP);
        }
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @Test
    void everythingComesFromTheServiceItself() {
        browser.resize(Browser.DESKTOP);
        browser.get(page.toString());

        assertThat(browser.driver().getTitle()).isEqualTo("Switchboard");
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) browser.script(
                "return performance.getEntriesByType('resource').map(entry => entry.name)");
        assertThat(resources).as("stylesheet and scripts were loaded").isNotEmpty()
                .anySatisfy(name -> assertThat(name).endsWith("/css/switchboard.css"))
                .anySatisfy(name -> assertThat(name).endsWith("/js/main.js"))
                .allSatisfy(name -> assertThat(name).startsWith(page.getProtocol() + "://" + page.getAuthority() + "/"));
        // The stylesheet really applied (a served but broken file would leave the default white body).
        assertThat(browser.script("return getComputedStyle(document.documentElement).backgroundColor")).isEqualTo("rgb(245, 246, 248)");
        assertThat(browser.find("#chat").isDisplayed()).isTrue();
        assertThat(browser.find("#fanout").isDisplayed()).isTrue();
        assertThat(browser.find("#countdowns").isDisplayed()).isTrue();
        browser.screenshot("page-desktop");
    }

    @Test
    void everyControlHasAnAccessibleName() {
        browser.resize(Browser.DESKTOP);
        browser.get(page.toString());

        @SuppressWarnings("unchecked")
        List<String> unlabelled = (List<String>) browser.script("""
                return [...document.querySelectorAll('input, button, textarea, select')]
                    .filter(control => control.labels?.length === 0 || control.tagName === 'BUTTON')
                    .filter(control => !(control.textContent.trim() || control.getAttribute('aria-label')))
                    .map(control => control.outerHTML)""");
        assertThat(unlabelled).isEmpty();
    }

    @Test
    void theMainControlsAreReachableWithTheTabKey() {
        browser.resize(Browser.DESKTOP);
        browser.get(page.toString());

        List<String> reached = new ArrayList<>();
        Actions keyboard = new Actions(browser.driver());
        for (int i = 0; i < 40; i++) {
            keyboard.sendKeys(Keys.TAB).perform();
            reached.add(String.valueOf(browser.script("return document.activeElement.id || document.activeElement.textContent.trim()")));
        }
        assertThat(reached).contains("chat-name", "chat-room", "chat-join-button", "aggregate-button",
                "dashboard-button", "countdown-add", "countdown-period", "countdown-start");
    }

    @Test
    void fitsAPhoneWithoutSidewaysScrolling() {
        browser.resize(Browser.PHONE);
        browser.get(page.toString());

        long pageWidth = ((Number) browser.script("return document.documentElement.scrollWidth")).longValue();
        long viewport = ((Number) browser.script("return window.innerWidth")).longValue();
        assertThat(pageWidth).isLessThanOrEqualTo(viewport);
        // Panels stack in one column on a phone.
        long chatLeft = ((Number) browser.script("return document.getElementById('chat').getBoundingClientRect().left")).longValue();
        long fanoutLeft = ((Number) browser.script("return document.getElementById('fanout').getBoundingClientRect().left")).longValue();
        assertThat(fanoutLeft).isEqualTo(chatLeft);
        browser.screenshot("page-phone");
    }
}
