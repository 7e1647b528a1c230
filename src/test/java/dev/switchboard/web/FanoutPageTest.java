package dev.switchboard.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
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
    void theAggregateWaterfallHasOneBarPerSource() {
        List<String> chosen = sourcesToCall();
        List<String> answered = given().queryParam("source", chosen.toArray()).get("/api/aggregate")
                .then().extract().jsonPath().getList("sources.name");
        assertThat(answered).containsExactlyInAnyOrderElementsOf(chosen);
        browser.get(page.toString());

        WebElement view = callAggregate(chosen);

        List<WebElement> rows = view.findElements(By.cssSelector("li.source"));
        assertThat(rows).extracting(row -> row.getDomAttribute("data-name")).containsExactlyInAnyOrderElementsOf(chosen);
        assertBarsOnOneAxis(view, rows);
    }

    @Test
    void anUnknownSourceIsShownAsAnInlineError() {
        browser.get(page.toString());

        WebElement view = callAggregate(List.of("no-such-source"));

        assertThat(view.getDomAttribute("data-state")).isEqualTo("failed");
        WebElement error = view.findElement(By.cssSelector("[data-role=error]"));
        assertThat(error.isDisplayed()).isTrue();
        assertThat(error.getText()).startsWith("400: ").contains("no-such-source");
    }

    @Test
    void aSourceThatNeedsATokenIsExplainedToAnAnonymousVisitor() {
        browser.get(page.toString());

        WebElement view = callAggregate(List.of("fast", "self-users"));

        browser.waitUntil(d -> "drawn".equals(view.getDomAttribute("data-state")));
        WebElement refused = view.findElement(By.cssSelector("li.source[data-name=self-users]"));
        assertThat(refused.findElement(By.cssSelector(".ms")).getText()).endsWith("needs a token");
        assertThat(view.findElement(By.cssSelector("[data-role=needs-token]")).getText())
                .startsWith(". self-users answered 401: this page calls without a token")
                .contains("admin token");
        WebElement ok = view.findElement(By.cssSelector("li.source[data-name=fast]"));
        assertThat(ok.findElement(By.cssSelector(".ms")).getText()).doesNotContain("token");
    }

    @Test
    void theDashboardWaterfallHasOneBarPerQuery() {
        List<String> queries = given().get("/api/dashboard").then().statusCode(200).extract().jsonPath().getList("queries.name");
        browser.get(page.toString());

        browser.find("#dashboard-button").click();
        WebElement view = browser.find("#dashboard-view");
        browser.waitUntil(d -> "drawn".equals(view.getDomAttribute("data-state")));

        List<WebElement> rows = view.findElements(By.cssSelector("li.source"));
        assertThat(rows).extracting(row -> row.getDomAttribute("data-name")).containsExactlyInAnyOrderElementsOf(queries);
        assertBarsOnOneAxis(view, rows);

        // Both waterfalls together for the picture in the docs.
        callAggregate(sourcesToCall());
        browser.screenshot(browser.find("#fanout"), "fanout");
    }

    /**
     * The sources the page asks for. Calling every configured source could disturb other tests' stateful
     * upstreams, so when the fan-out tests' stateless stubs are configured, only those are called.
     */
    private static List<String> sourcesToCall() {
        Set<String> configured = new TreeSet<>();
        for (String property : ConfigProvider.getConfig().getPropertyNames()) {
            Matcher matcher = SOURCE_URL.matcher(property);
            if (matcher.matches()) {
                configured.add(matcher.group(1));
            }
        }
        List<String> stateless = STATELESS_TEST_SOURCES.stream().filter(configured::contains).toList();
        if (stateless.size() == STATELESS_TEST_SOURCES.size()) {
            return stateless;
        }
        assertThat(configured).as("configured fan-out sources").isNotEmpty();
        return List.copyOf(configured);
    }

    private static final Pattern SOURCE_URL = Pattern.compile("switchboard\\.fanout\\.sources\\.\"?([^.\"]+)\"?\\.url");
    private static final List<String> STATELESS_TEST_SOURCES = List.of("fast", "medium", "slow", "failing");

    private static WebElement callAggregate(List<String> sources) {
        WebElement input = browser.find("#aggregate-sources");
        input.clear();
        input.sendKeys(String.join(", ", sources));
        WebElement view = browser.find("#aggregate-view");
        browser.script("delete arguments[0].dataset.state", view);
        browser.find("#aggregate-button").click();
        browser.waitUntil(d -> view.getDomAttribute("data-state") != null);
        return view;
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
