package com.oneclick.request.web;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Headless Chromium for the browser tests: Debian's {@code chromium} driven through its
 * {@code chromium-driver} ({@code /usr/bin/chromedriver}), nothing downloaded. When either is
 * missing the tests fail and say what to install; they are never skipped.
 */
final class Browser {

    static final Path CHROMIUM = Path.of(System.getProperty("oneclick.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("oneclick.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private Browser() {
    }

    static ChromeDriver start(Path userDataDir) {
        for (Path executable : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(executable)) {
                throw new IllegalStateException("The browser tests need Debian's Chromium and its driver, and "
                        + executable + " is missing. Install them with: "
                        + "apt-get update && apt-get install -y chromium chromium-driver");
            }
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--user-data-dir=" + userDataDir.toAbsolutePath(),
                "--window-size=1000,1400", "--lang=en-GB");
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /**
     * Saves the whole page, {@code width} pixels wide, as {@code target/screenshots/<name>.png}
     * (the pictures in the README are copies of these).
     */
    static Path screenshot(ChromeDriver driver, String name, int width) {
        Dimension before = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(width, 800));
        long chrome = (Long) driver.executeScript("return window.outerHeight - window.innerHeight;");
        long height = (Long) driver.executeScript("return document.documentElement.scrollHeight;");
        driver.manage().window().setSize(new Dimension(width, (int) Math.min(height + chrome, 3000)));
        driver.executeScript("if (document.activeElement) { document.activeElement.blur(); } window.scrollTo(0, 0);");
        try {
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.manage().window().setSize(before);
        }
    }
}
