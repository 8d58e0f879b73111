package io.leifdb.server.ui;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The UI's vocabulary for tests: pages by route, elements by data-testid, bounded waits. */
final class UiDriver {
    static final Duration WAIT = Duration.ofSeconds(20);

    private final WebDriver driver;
    private final String uiUrl;

    /** uiUrl is the page the node serves, e.g. http://127.0.0.1:8080/ui/ */
    UiDriver(WebDriver driver, String uiUrl) {
        this.driver = driver;
        this.uiUrl = uiUrl;
    }

    WebDriver driver() {
        return driver;
    }

    /** Loads the UI afresh at a route such as "keys" or "keys?key=a" and waits until it is rendered. */
    void open(String route) {
        // A hash change alone would keep the running app; a fresh load makes every test start clean.
        driver.navigate().to("about:blank");
        driver.navigate().to(uiUrl + "#/" + route);
        String page = route.contains("?") ? route.substring(0, route.indexOf('?')) : route;
        until("page " + page + " rendered", d -> page.equals(js("return document.body.dataset.page")));
    }

    void reload() {
        driver.navigate().refresh();
        until("page rendered after reload", d -> js("return document.body.dataset.page") != null);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    void useBase(String base) {
        js("localStorage.setItem('leifdb.apiBase', arguments[0])", base);
    }

    void forgetBase() {
        js("localStorage.clear()");
    }

    static By id(String testid) {
        return By.cssSelector("[data-testid='" + testid + "']");
    }

    WebElement visible(String testid) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(id(testid)));
    }

    List<WebElement> all(String testid) {
        return driver.findElements(id(testid));
    }

    void click(String testid) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.elementToBeClickable(id(testid))).click();
    }

    void type(String testid, String text) {
        WebElement e = visible(testid);
        e.clear();
        e.sendKeys(text);
    }

    /** Waits until the element shows exactly this text; re-reads it as the page re-renders. */
    void untilText(String testid, String expected) {
        until(testid + " showing \"" + expected + "\"", d -> expected.equals(textOf(testid)));
    }

    void untilTextContains(String testid, String part) {
        until(testid + " containing \"" + part + "\"", d -> {
            String t = textOf(testid);
            return t != null && t.contains(part);
        });
    }

    String textOf(String testid) {
        try {
            List<WebElement> found = driver.findElements(id(testid));
            return found.isEmpty() ? null : found.get(0).getText();
        } catch (StaleElementReferenceException rerendered) {
            return null;
        }
    }

    /** Polls until the condition gives a non-null, non-false value; `what` names it in a timeout. */
    <T> T until(String what, Function<WebDriver, T> condition) {
        return until(what, WAIT, condition);
    }

    /** As {@link #until(String, Function)}, for something that takes longer than {@link #WAIT}. */
    <T> T until(String what, Duration within, Function<WebDriver, T> condition) {
        WebDriverWait wait = new WebDriverWait(driver, within);
        wait.ignoring(StaleElementReferenceException.class).withMessage(what);
        return wait.until(condition);
    }
}
