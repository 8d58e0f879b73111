package io.leifdb.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.server.it.Http;
import io.leifdb.server.it.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/** With auth on, the web UI sends the user to a login form, keeps the token in session storage and lists keys with it. */
class UiLoginIT {
    @TempDir
    static Path dir;
    static TestCluster node;
    static ChromeSession chrome;
    static UiDriver ui;

    @BeforeAll
    static void start() throws Exception {
        ChromeSession.assumeInstalled();
        Path pw = Files.writeString(dir.resolve("root-password"), "ui-root-pass-1\n");
        node = TestCluster.start(1, Files.createDirectories(dir.resolve("node")),
                Map.of("LEIFDB_AUTH", "on", "LEIFDB_ROOT_PASSWORD_FILE", pw.toString()));
        String basic = "Basic " + Base64.getEncoder().encodeToString("root:ui-root-pass-1".getBytes(StandardCharsets.UTF_8));
        org.awaitility.Awaitility.await("root applied").atMost(java.time.Duration.ofSeconds(30))
                .until(() -> Http.put(node.url(0) + "/db/ui-login-key", Http.valueJson("v"), "Authorization", basic).status() == 200);
        chrome = ChromeSession.start();
        ui = new UiDriver(chrome.driver, node.url(0) + "/ui/");
    }

    @AfterAll
    static void stop() {
        try {
            if (chrome != null) chrome.close();
        } finally {
            if (node != null) node.close();
        }
    }

    /** Each test starts logged out: a token left by another test would skip the login form. */
    @BeforeEach
    void loggedOut() {
        ui.driver().navigate().to(node.url(0) + "/ui/#/cluster");
        ui.js("sessionStorage.clear()");
    }

    @Test
    void theKeysPageAsksForALoginAndWorksWithTheToken() {
        ui.driver().navigate().to(node.url(0) + "/ui/#/keys");
        ui.until("sent to the login form", d -> "login".equals(ui.js("return document.body.dataset.page")));
        ui.type("login-user", "root");
        ui.type("login-password", "wrong-password");
        ui.click("login-submit");
        ui.untilTextContains("login-error", "Wrong user name or password");
        assertThat(ui.js("return sessionStorage.getItem('leifdb.token')")).isNull();

        ui.type("login-password", "ui-root-pass-1");
        ui.click("login-submit");
        ui.until("back on the keys page", d -> "keys".equals(ui.js("return document.body.dataset.page")));
        ui.until("the key listed", d -> ui.all("key-row").stream().anyMatch(r -> r.getText().contains("ui-login-key")));
        assertThat((String) ui.js("return sessionStorage.getItem('leifdb.token')")).startsWith("lf1.");
        assertThat(ui.js("return localStorage.getItem('leifdb.token')")).as("never in local storage").isNull();
    }

    @Test
    void theUsersPageManagesRolesAndUsersAndAUserChangesTheirOwnPassword() throws Exception {
        logIn("users", "root", "ui-root-pass-1");
        ui.type("new-role-name", "reader");
        ui.type("new-role-grants", "read pub/");
        ui.click("add-role");
        WebElement role = row("role-row", "reader");
        assertThat(role.getText()).contains("read:pub/");

        ui.type("new-user-name", "dana");
        ui.type("new-user-password", "dana-pass-1");
        ui.type("new-user-roles", "reader");
        ui.click("add-user");
        assertThat(row("user-row", "dana").getText()).contains("reader");

        row("role-row", "reader").findElement(UiDriver.id("role-edit")).click();
        WebElement grants = ui.visible("dialog-grants");
        grants.clear();
        grants.sendKeys("read pub/\nread docs/");
        ui.click("confirm-ok");
        ui.until("the role shows its new grant", d -> row("role-row", "reader").getText().contains("read:docs/"));
        assertThat(Http.get(node.url(0) + "/auth/roles/reader", "Authorization", basic("root", "ui-root-pass-1")).body())
                .contains("docs/");

        // dana may not manage users, but changes her own password with the current one.
        ui.js("sessionStorage.clear()");
        logIn("users", "dana", "dana-pass-1");
        ui.untilTextContains("users-error", "root role");
        ui.type("own-old-password", "dana-pass-1");
        ui.type("own-new-password", "dana-pass-22");
        ui.click("own-password");
        org.awaitility.Awaitility.await("dana's new password works").atMost(java.time.Duration.ofSeconds(10)).until(() ->
                Http.get(node.url(0) + "/db/pub%2Fx", "Authorization", basic("dana", "dana-pass-22")).status() == 404);
        assertThat(Http.get(node.url(0) + "/db/pub%2Fx", "Authorization", basic("dana", "dana-pass-1")).status()).isEqualTo(401);

        // root deletes her, after confirming.
        ui.js("sessionStorage.clear()");
        logIn("users", "root", "ui-root-pass-1");
        row("user-row", "dana").findElement(UiDriver.id("user-delete")).click();
        ui.click("confirm-ok");
        ui.until("dana gone", d -> ui.all("user-row").stream().noneMatch(r -> "dana".equals(r.getAttribute("data-user"))));
    }

    /** Opens the route, which sends us to the login form (no token), and logs in; back on the route after. */
    private static void logIn(String route, String user, String password) {
        ui.driver().navigate().to("about:blank"); // a fresh load: the same hash again would not re-route
        ui.driver().navigate().to(node.url(0) + "/ui/#/" + route);
        ui.until("sent to the login form", d -> "login".equals(ui.js("return document.body.dataset.page")));
        ui.type("login-user", user);
        ui.type("login-password", password);
        ui.click("login-submit");
        ui.until("back on " + route, d -> route.equals(ui.js("return document.body.dataset.page")));
    }

    private static WebElement row(String testid, String name) {
        String attribute = testid.equals("user-row") ? "data-user" : "data-role";
        return ui.until(testid + " " + name, d -> ui.all(testid).stream()
                .filter(r -> name.equals(r.getAttribute(attribute))).findFirst().orElse(null));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
