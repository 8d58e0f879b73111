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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
