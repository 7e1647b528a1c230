package dev.switchboard.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URL;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.switchboard.support.Browser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The fan-out waterfalls and the countdowns, drawn by a real browser from the real endpoints. */
@QuarkusTest
class FanoutPageTest {

    @TestHTTPResource("/")
    URL page;

    static Browser browser;

    @BeforeAll
    static void openBrowser() {
        browser = Browser.open(Browser.DESKTOP);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theAggregateWaterfallHasOneBarPerSource() {
        List<String> configured = given().get("/api/aggregate").then().extract().jsonPath().getList("sources.name");
        assertThat(configured).isNotEmpty();
        browser.get(page.toString());

        browser.find("#aggregate-button").click();
        WebElement view = browser.find("#aggregate-view");
        browser.waitUntil(d -> view.getDomAttribute("data-state") != null);

        List<WebElement> rows = view.findElements(By.cssSelector("li.source"));
        assertThat(rows).extracting(row -> row.getDomAttribute("data-name")).containsExactlyInAnyOrderElementsOf(configured);
        assertBarsOnOneAxis(view, rows);
    }

    @Test
    void theDashboardWaterfallHasOneBarPerQuery() {
        browser.get(page.toString());

        browser.find("#dashboard-button").click();
        WebElement view = browser.find("#dashboard-view");
        browser.waitUntil(d -> "drawn".equals(view.getDomAttribute("data-state")));

        List<WebElement> rows = view.findElements(By.cssSelector("li.source"));
        assertThat(rows).hasSizeGreaterThan(1);
        assertBarsOnOneAxis(view, rows);

        // Both waterfalls side by side for the picture in the docs.
        browser.find("#aggregate-button").click();
        browser.waitUntil(d -> browser.find("#aggregate-view").getDomAttribute("data-state") != null);
        browser.screenshot(browser.find("#fanout"), "fanout");
    }

    /** Every bar sits on the shared axis, the outcome is visible, and the summary adds the bars up. */
    private static void assertBarsOnOneAxis(WebElement view, List<WebElement> rows) {
        double sum = 0;
        for (WebElement row : rows) {
            assertThat(row.getDomAttribute("data-outcome")).isIn("ok", "error", "timeout");
            WebElement bar = row.findElement(By.cssSelector(".bar"));
            assertThat(bar.getDomAttribute("class")).contains(row.getDomAttribute("data-outcome"));
            assertThat(bar.getSize().getWidth()).isPositive();
            assertThat(bar.getAccessibleName()).startsWith(row.getDomAttribute("data-name") + ": ");
            sum += Double.parseDouble(row.findElement(By.cssSelector(".ms")).getText().split(" ")[0]);
        }
        double shownSum = Double.parseDouble(view.getDomAttribute("data-sum-ms"));
        // Each row shows a rounded number of milliseconds.
        assertThat(shownSum).isCloseTo(sum, within(rows.size() * 0.5 + 0.01));
        assertThat(view.findElement(By.cssSelector("[data-role=total]")).getText()).endsWith(" ms");
        // The sum row is as long as the bars together on the same scale.
        WebElement sumBar = view.findElement(By.cssSelector(".bar.sum"));
        double barWidths = rows.stream().mapToDouble(row -> row.findElement(By.cssSelector(".bar")).getSize().getWidth()).sum();
        assertThat((double) sumBar.getSize().getWidth()).isCloseTo(barWidths, within(rows.size() * 2.0 + 1));
    }

    @Test
    void twoCountdownsTickSideBySideToDone() {
        browser.get(page.toString());
        setCountdowns(Map.of("Launch", 4, "Tea", 3), 150);
        recordTicks();

        browser.find("#countdown-start").click();
        browser.waitUntil(d -> d.findElements(By.cssSelector("#countdown-board li")).stream()
                .allMatch(card -> "done".equals(card.getDomAttribute("data-state"))));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ticks = (List<Map<String, Object>>) browser.script("return window.recordedTicks");
        assertThat(ticksOf(ticks, "Launch")).containsExactly(4L, 3L, 2L, 1L);
        assertThat(ticksOf(ticks, "Tea")).containsExactly(3L, 2L, 1L);
        // Merged, not one after the other: Tea ticked before Launch finished.
        assertThat(ticks.indexOf(Map.of("name", "Tea", "n", 3L))).isLessThan(ticks.indexOf(Map.of("name", "Launch", "n", 1L)));
        assertThat(browser.find("#countdown-status").getText()).isEqualTo("All done");
        assertThat(browser.find("#countdown-stop").isEnabled()).isFalse();
        browser.screenshot(browser.find("#countdowns"), "countdowns");
    }

    @Test
    void stoppedCountdownsStopTicking() {
        browser.get(page.toString());
        setCountdowns(Map.of("Long", 600, "Longer", 900), 100);

        browser.find("#countdown-start").click();
        browser.waitUntil(d -> d.findElements(By.cssSelector("#countdown-board li[data-ticks]")).size() == 2);
        browser.find("#countdown-stop").click();

        List<WebElement> cards = browser.driver().findElements(By.cssSelector("#countdown-board li"));
        assertThat(cards).allSatisfy(card -> assertThat(card.getDomAttribute("data-state")).isEqualTo("stopped"));
        List<String> valuesAtStop = cards.stream().map(card -> card.getDomAttribute("data-n")).toList();
        // Several periods later nothing has moved.
        browser.script("return new Promise(resolve => setTimeout(resolve, 500))");
        assertThat(cards.stream().map(card -> card.getDomAttribute("data-n")).toList()).isEqualTo(valuesAtStop);
        assertThat(browser.find("#countdown-status").getText()).isEqualTo("Stopped");
    }

    /** Replaces the countdown rows with the given ones, through the form like a person would. */
    private static void setCountdowns(Map<String, Integer> countdowns, int periodMs) {
        List<WebElement> rows = browser.driver().findElements(By.cssSelector("#countdown-specs li"));
        while (rows.size() < countdowns.size()) {
            browser.find("#countdown-add").click();
            rows = browser.driver().findElements(By.cssSelector("#countdown-specs li"));
        }
        for (int i = countdowns.size(); i < rows.size(); i++) {
            rows.get(i).findElement(By.cssSelector("[data-role=remove]")).click();
        }
        int i = 0;
        for (Map.Entry<String, Integer> countdown : countdowns.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            WebElement row = rows.get(i++);
            type(row.findElement(By.cssSelector("[data-role=name]")), countdown.getKey());
            type(row.findElement(By.cssSelector("[data-role=from]")), String.valueOf(countdown.getValue()));
        }
        type(browser.find("#countdown-period"), String.valueOf(periodMs));
    }

    private static void type(WebElement input, String value) {
        input.clear();
        input.sendKeys(value);
    }

    /** Records every tick the page draws, in order, from the DOM itself. */
    private static void recordTicks() {
        browser.script("""
                window.recordedTicks = [];
                new MutationObserver(changes => {
                    for (const change of changes) {
                        if (change.attributeName === 'data-n') {
                            window.recordedTicks.push({ name: change.target.dataset.name, n: Number(change.target.dataset.n) });
                        }
                    }
                }).observe(document.getElementById('countdown-board'), { subtree: true, attributes: true, attributeFilter: ['data-n'] });
                """);
    }

    private static List<Long> ticksOf(List<Map<String, Object>> ticks, String name) {
        return ticks.stream().filter(tick -> name.equals(tick.get("name"))).map(tick -> ((Number) tick.get("n")).longValue()).toList();
    }
}
