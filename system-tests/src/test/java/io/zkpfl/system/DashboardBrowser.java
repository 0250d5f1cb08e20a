package io.zkpfl.system;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The marketplace's dashboard in Debian's headless Chromium, driven through Debian's chromedriver: nothing is
 * downloaded (the driver and the browser are named explicitly, so Selenium Manager has nothing to find), and the
 * browser runs with a fresh profile and without background networking.
 */
final class DashboardBrowser implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private final ChromeDriver driver;

    DashboardBrowser(Path profile) throws Exception {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        for (String tool : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new IllegalStateException(tool + " is missing: apt-get install -y chromium chromium-driver (.ci/run does)");
            }
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + Files.createDirectories(profile).toAbsolutePath(), "--window-size=1400,1500");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1400, 1500));
    }

    /** Opens the dashboard at job {@code id} and waits until it shows the job's on-chain status. */
    void open(URI marketplace, long id) throws InterruptedException {
        driver.get(marketplace.resolve("/dashboard/#job=" + id).toString());
        await(Duration.ofSeconds(60), "the job's status", () -> text("#job-status").contains("chain"));
    }

    /** The points of the accuracy plot. */
    List<WebElement> points() {
        return driver.findElements(By.cssSelector("#accuracy-plot circle.point"));
    }

    /** The rows of the rounds table. */
    List<WebElement> rounds() {
        return driver.findElements(By.cssSelector("#rounds tbody tr"));
    }

    /** The rows of table {@code id} (committee, trainers, payments). */
    List<WebElement> rows(String table) {
        return driver.findElements(By.cssSelector("#" + table + " tbody tr"));
    }

    String text(String css) {
        List<WebElement> found = driver.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.getFirst().getText();
    }

    /** The tooltip of the plot's point of round {@code round}, e.g. "round 0: 61.25 %". */
    String pointTitle(int round) {
        WebElement point = driver.findElement(By.cssSelector("#accuracy-plot circle.point[data-round='" + round + "']"));
        return point.findElement(By.tagName("title")).getAttribute("textContent");
    }

    /** Saves what the browser shows as a PNG. */
    void screenshot(Path png) throws Exception {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), png, StandardCopyOption.REPLACE_EXISTING);
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void await(Duration timeout, String what, Condition condition) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                // the page re-renders while it is read: try again
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("the dashboard did not show " + what + " within " + timeout);
            }
            Thread.sleep(500);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
