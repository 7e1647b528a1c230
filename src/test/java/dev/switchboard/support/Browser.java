package dev.switchboard.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven through the system's ChromeDriver (Debian packages {@code chromium} and
 * {@code chromium-driver}). Both paths are given explicitly, so Selenium never tries to download a driver
 * or a browser. Override them with {@code -Dswitchboard.test.chromium=...} and
 * {@code -Dswitchboard.test.chromedriver=...}.
 * <p>
 * Outside CI a missing browser skips the browser tests (saying so); with {@code CI=true} it fails them.
 */
public final class Browser implements AutoCloseable {

    public static final Duration PATIENCE = Duration.ofSeconds(15);
    public static final Dimension DESKTOP = new Dimension(1280, 900);
    public static final Dimension PHONE = new Dimension(390, 844);

    private static final Path CHROMIUM = Path.of(System.getProperty("switchboard.test.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(
            System.getProperty("switchboard.test.chromedriver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Skips (outside CI) or fails (in CI) the calling test when Chromium or ChromeDriver is missing. */
    public static void requireChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (present) {
            return;
        }
        Prerequisites.missing("Chromium (" + CHROMIUM + ") and ChromeDriver (" + CHROMEDRIVER
                + ") are needed for the browser tests; install the Debian packages chromium and chromium-driver");
    }

    /** Starts a fresh headless browser (own profile folder) with the given window size. */
    public static Browser open(Dimension size) {
        requireChromium();
        try {
            Path profile = Files.createTempDirectory("switchboard-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-quic", "--no-first-run", "--no-default-browser-check",
                    "--user-data-dir=" + profile,
                    "--window-size=" + size.getWidth() + "," + size.getHeight());
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().window().setSize(size);
            return new Browser(driver, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public void get(String url) {
        driver.get(url);
        waitUntil(d -> "true".equals(d.findElement(By.tagName("html")).getDomAttribute("data-ready")));
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public <T> T waitUntil(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, PATIENCE, Duration.ofMillis(50)).until(condition);
    }

    public Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    public void resize(Dimension size) {
        driver.manage().window().setSize(size);
    }

    /** Saves a PNG of one element under target/screenshots/ and returns its path. */
    public Path screenshot(WebElement element, String name) {
        script("arguments[0].scrollIntoView({block: 'start'})", element);
        return save(element.getScreenshotAs(OutputType.FILE).toPath(), name);
    }

    /** Saves a PNG of the visible window under target/screenshots/ and returns its path. */
    public Path screenshot(String name) {
        return save(driver.getScreenshotAs(OutputType.FILE).toPath(), name);
    }

    private static Path save(Path taken, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.move(taken, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary profile is harmless.
        }
    }
}
