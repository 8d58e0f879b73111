package io.leifdb.server.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * When a test fails, saves the page as it was, then each UI page, and the nodes' log tails,
 * under target/ui-screenshots/.
 * Runs before @AfterEach so the browser is still there.
 */
final class ScreenshotOnFailure implements AfterTestExecutionCallback {
    private static final List<String> PAGES = List.of("cluster", "keys", "connect");

    private final Supplier<WebDriver> driver;
    private final Supplier<String> nodeLogs;

    ScreenshotOnFailure(Supplier<WebDriver> driver, Supplier<String> nodeLogs) {
        this.driver = driver;
        this.nodeLogs = nodeLogs;
    }

    static Path directory() {
        return Path.of(System.getProperty("basedir", "."), "target", "ui-screenshots");
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        WebDriver d = driver.get();
        if (context.getExecutionException().isEmpty() || d == null) {
            return;
        }
        String name = context.getRequiredTestMethod().getName();
        try {
            Path dir = Files.createDirectories(directory());
            save(d, dir.resolve(name + "-at-failure.png"));
            Files.writeString(dir.resolve(name + "-at-failure.html"), d.getPageSource());
            Files.writeString(dir.resolve(name + "-nodes.log"), nodeLogs.get());
            String url = d.getCurrentUrl();
            int hash = url == null ? -1 : url.indexOf('#');
            if (hash < 0) {
                return;
            }
            for (String page : PAGES) {
                d.navigate().to(url.substring(0, hash) + "#/" + page);
                try {
                    new WebDriverWait(d, Duration.ofSeconds(5)).until(x -> page.equals(
                            ((JavascriptExecutor) x).executeScript("return document.body.dataset.page")));
                } catch (TimeoutException notRendered) {
                    // Save whatever is on screen; a blank page is itself a clue.
                }
                save(d, dir.resolve(name + "-" + page + ".png"));
            }
        } catch (IOException | RuntimeException e) {
            // The screenshot is a diagnostic; the original failure is what the report must show.
            context.getExecutionException().get().addSuppressed(e);
        }
    }

    private static void save(WebDriver d, Path file) throws IOException {
        byte[] png = ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES);
        Files.write(file, png);
    }
}
