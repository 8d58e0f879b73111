package io.leifdb.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leifdb.server.backup.BackupReader;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web UI in headless Chromium against a real 3-node cluster: connect, set, get, browse, delete,
 * cluster view, leadership transfer and the backup link.
 */
class UiBrowserIT {
    private static UiCluster cluster;
    private static ChromeSession chrome;
    private static UiDriver ui;
    private static DirectApi api;
    private static List<String> bases;
    /** Keys of each run live under their own prefix, so reruns against one cluster never collide. */
    private static final String RUN = "ui-it-" + Long.toString(System.nanoTime(), 36);

    @RegisterExtension
    static final ScreenshotOnFailure SCREENSHOTS = new ScreenshotOnFailure(
            () -> chrome == null ? null : chrome.driver, () -> cluster == null ? "" : cluster.logs());

    @BeforeAll
    static void start() throws IOException {
        ChromeSession.assumeInstalled();
        cluster = UiCluster.start();
        bases = cluster.baseUrls();
        api = new DirectApi(bases);
        chrome = ChromeSession.start();
        ui = new UiDriver(chrome.driver, bases.get(0) + "/ui/");
    }

    @AfterAll
    static void stop() {
        try {
            if (chrome != null) {
                chrome.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @BeforeEach
    void freshBrowserState() {
        ui.open("cluster");
        ui.forgetBase();
    }

    @Test
    void theKeyListUpdatesLiveWhenAnotherClientWrites() throws Exception {
        ui.open("keys");
        ui.type("prefix-input", RUN + "/live/");
        ui.click("prefix-go");
        // The list's watch is open (its ready event came): from here on every change under the prefix reaches it.
        ui.until("the key list watching " + RUN + "/live/",
                d -> "on".equals(ui.driver().findElement(UiDriver.id("key-rows")).getDomAttribute("data-live")));
        assertThat(api.put(RUN + "/live/a", "written elsewhere").status()).isEqualTo(200);
        ui.until("the key written by another client listed without a reload",
                d -> rowKeys().contains(RUN + "/live/a"));
    }

    @Test
    void clusterPageShowsEveryMemberUpAndExactlyOneLeader() {
        ui.open("cluster");
        ui.until(bases.size() + " members, all up, one leader",
                d -> ui.all("member-row").size() == bases.size()
                && ui.all("member-row").stream().filter(r -> "leader".equals(r.getDomAttribute("data-role"))).count() == 1
                && ui.all("member-row").stream().allMatch(r -> "true".equals(r.getDomAttribute("data-up"))));
        ui.untilTextContains("stat-up", bases.size() + " / " + bases.size());
        assertThat(ui.textOf("stat-leader")).contains("Node ");
        assertThat(ui.textOf("header-role")).isIn("leader", "follower");
    }

    @Test
    void clusterPageHandsLeadershipToAFollowerAfterAConfirmation() throws Exception {
        ui.open("cluster");
        ui.until("3 members, all up, one leader", d -> ui.all("member-row").size() == bases.size()
                && ui.all("member-row").stream().filter(r -> "leader".equals(r.getDomAttribute("data-role"))).count() == 1
                && ui.all("member-row").stream().allMatch(r -> "true".equals(r.getDomAttribute("data-up"))));
        assertThat(ui.all("member-kind")).extracting(WebElement::getText).containsOnly("voter");
        // Rows are redrawn every second, so find and click in one step, again if the row went stale.
        String target = ui.until("a follower's Make leader button clicked", d -> {
            try {
                for (WebElement row : ui.all("member-row")) {
                    if ("follower".equals(row.getDomAttribute("data-role"))) {
                        String id = row.getDomAttribute("data-id");
                        row.findElement(UiDriver.id("make-leader")).click();
                        return id;
                    }
                }
                return null;
            } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
                return null;
            }
        });
        ui.visible("confirm-dialog");
        ui.click("confirm-ok");
        ui.until("member " + target + " leads", d -> ui.all("member-row").stream().anyMatch(r ->
                target.equals(r.getDomAttribute("data-id")) && "leader".equals(r.getDomAttribute("data-role"))));
        int leader = api.leaderIndex();
        assertThat(leader).isNotNegative();
        assertThat(api.get(bases.get(leader), "/health").body().path("id").asText()).isEqualTo(target);
    }

    @Test
    void clusterPageShowsAJoinedLearnersCatchUpAndPromotesItAfterAConfirmation() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(cluster.controllable(), "needs a cluster this test can grow");
        String learner = cluster.joinLearner();
        String id = api.get(learner, "/health").body().path("id").asText();
        try {
            ui.open("cluster");
            ui.until("the learner is listed with its catch-up", d -> ui.all("member-row").stream().anyMatch(r ->
                    id.equals(r.getDomAttribute("data-id")) && r.getText().contains("learner")
                            && (r.getText().contains("in sync") || r.getText().contains("behind"))));
            ui.until("the learner's Promote button clicked", d -> {
                try {
                    for (WebElement row : ui.all("member-row")) {
                        if (id.equals(row.getDomAttribute("data-id"))) {
                            row.findElement(UiDriver.id("promote-member")).click();
                            return true;
                        }
                    }
                    return null;
                } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
                    return null; // redrawn, or not up yet
                }
            });
            ui.visible("confirm-dialog");
            ui.click("confirm-ok");
            ui.until("member " + id + " is a voter", d -> ui.all("member-row").stream().anyMatch(r ->
                    id.equals(r.getDomAttribute("data-id")) && r.getText().contains("voter")));
        } finally {
            // Back to the three members the other tests expect; from four voters with values still coded (an
            // earlier test turned coding on) the removal needs coding off first.
            api.call("DELETE", "/cluster/members/" + id + "?codingOffFirst=true", null, java.time.Duration.ofSeconds(150));
            cluster.stopLearner();
        }
        ui.until(bases.size() + " members again", d -> ui.all("member-row").size() == bases.size());
    }

    /**
     * Four coded voters (a learner joined and promoted while three coded): the page's Remove is refused as
     * coded, and the page offers the leader's codingOffFirst steps, which remove it and turn coding on again.
     */
    @Test
    void clusterPageOffersCodingOffFirstWhenARemovalIsRefusedAsCoded() throws Exception {
        assumeTrue(cluster.controllable(), "needs a cluster this test can grow");
        java.time.Duration coded = java.time.Duration.ofSeconds(150);
        String learner = cluster.joinLearner();
        String id = api.get(learner, "/health").body().path("id").asText();
        try {
            assertThat(api.call("PUT", "/cluster/coding", "{\"on\": true, \"k\": 2}", coded).status()).isEqualTo(200);
            ui.until("member " + id + " is a voter", coded, d -> {
                try {
                    if (isVoter(id)) return true;
                    // The leader's auto-promotion may win the race (already_voter), or the learner still catches up.
                    api.call("POST", "/cluster/members/" + id + "/promote", null, coded);
                    return isVoter(id);
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            });
            ui.open("cluster");
            ui.until("the new voter's Remove button clicked", d -> {
                try {
                    for (WebElement row : ui.all("member-row")) {
                        if (id.equals(row.getDomAttribute("data-id")) && row.getText().contains("voter")) {
                            row.findElement(UiDriver.id("remove-member")).click();
                            return true;
                        }
                    }
                    return null;
                } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
                    return null;
                }
            });
            ui.visible("confirm-dialog");
            ui.click("confirm-ok");
            assertThat(ui.visible("coded-refusal").getText()).contains("storedK 1", "turn coding on again");
            ui.click("confirm-ok");
            ui.until("member " + id + " is gone", coded, d -> ui.all("member-row").size() == bases.size()
                    && ui.all("member-row").stream().noneMatch(r -> id.equals(r.getDomAttribute("data-id"))));
            JsonNode after = api.get(bases.get(0), "/cluster/coding").body();
            assertThat(after.path("on").asBoolean()).as("coding on again").isTrue();
            assertThat(after.path("voters").asInt()).isEqualTo(bases.size());
        } finally {
            api.call("DELETE", "/cluster/members/" + id + "?codingOffFirst=true", null, coded); // 404 once removed
            cluster.stopLearner();
            api.call("PUT", "/cluster/coding", "{\"on\": false}", coded);
            // The other tests change the membership plainly: wait until nothing is stored coded.
            ui.until("storedK 1", coded, d -> {
                try {
                    return api.get(bases.get(0), "/cluster/coding").body().path("storedK").asInt() == 1;
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            });
        }
    }

    private static boolean isVoter(String id) throws IOException, InterruptedException {
        for (JsonNode m : api.get(bases.get(0), "/cluster/members").body().path("members")) {
            if (id.equals(m.path("id").asText())) return m.path("voter").asBoolean();
        }
        return false;
    }

    @Test
    void clusterPageShowsAndChangesTheCodingParametersThroughTheLog() throws Exception {
        ui.open("cluster");
        ui.untilTextContains("stat-coding", "off"); // three members: the first leader recorded coding off
        applyCoding(true, "2", "1024");
        ui.untilTextContains("stat-coding", "on · k≤2 of 3 · ≥1,024 B");
        for (String base : bases) {
            ui.until("coding on at " + base, d -> {
                try {
                    DirectApi.Reply r = api.get(base, "/cluster/coding");
                    return r.body().path("on").asBoolean() && r.body().path("k").asInt() == 2
                            && r.body().path("threshold").asInt() == 1024;
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            });
        }
        applyCoding(false, "2", "1024"); // back as it was, so the other tests may change the membership
        ui.untilTextContains("stat-coding", "off");
    }

    @Test
    void clusterPageShowsTheRepairScrubsProgressFromTheLeader() {
        ui.open("cluster");
        // Whichever member the UI talks to, the figures come from the leader's GET /cluster/coding;
        // polled, since a pass may finish (or leadership move) between the page's read and ours.
        ui.until("the page shows the leader's count of values below full redundancy", d -> {
            String shown = ui.textOf("stat-repair");
            Long below = leaderRepairFigure();
            return shown != null && below != null && shown.contains(below + " below full redundancy")
                    && shown.contains("scrub") && shown.contains("ago");
        });
    }

    /** The leader's belowFullRedundancy (only the leader reports it), or null while none does. */
    private static Long leaderRepairFigure() {
        for (String base : bases) {
            try {
                JsonNode c = api.get(base, "/cluster/coding").body();
                if (c.has("belowFullRedundancy")) {
                    assertThat(Instant.parse(c.path("lastScrubAt").asText())).isBefore(Instant.now().plusSeconds(1));
                    return c.path("belowFullRedundancy").asLong();
                }
            } catch (IOException e) {
                // a member that does not answer reports nothing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private static void applyCoding(boolean on, String k, String threshold) {
        ui.until("the coding form shows the cluster's values", d -> !ui.visible("coding-k").getDomProperty("value").isEmpty());
        WebElement box = ui.visible("coding-on");
        if (box.isSelected() != on) box.click();
        ui.type("coding-k", k);
        ui.type("coding-threshold", threshold);
        ui.click("coding-apply");
        ui.visible("confirm-dialog");
        ui.click("confirm-ok");
    }

    @Test
    void clusterPageLinksABackupOfTheCurrentMember() throws Exception {
        ui.open("cluster");
        String href = ui.visible("download-backup").getDomProperty("href");
        assertThat(href).isEqualTo(bases.get(0) + "/backup");
        Path file = Files.createTempFile("ui-backup", ".zip");
        try {
            HttpResponse<Path> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(href)).build(),
                    HttpResponse.BodyHandlers.ofFile(file));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-disposition")).hasValueSatisfying(v -> v.contains(".zip"));
            assertThat(BackupReader.verify(file).index()).isPositive();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void connectSwitchesToAnotherNodeAndRemembersItAcrossReloads() {
        String other = bases.get(1);
        ui.open("connect");
        ui.untilTextContains("current-base", bases.get(0));
        ui.type("connect-input", other.replaceFirst("^http://", ""));
        ui.click("connect-use");
        ui.untilText("current-base", other);
        ui.untilText("health-status", "OK");

        ui.reload();
        ui.open("connect");
        ui.untilText("current-base", other);
        ui.untilTextContains("node-info", other.replaceFirst("^http://", ""));

        ui.click("reset-base");
        ui.untilText("current-base", bases.get(0));
    }

    @Test
    void setGetBrowseAndDeleteThroughAFollower() throws Exception {
        String follower = ui.until("a member reporting itself a follower", d -> {
            try {
                return api.aFollower();
            } catch (IOException | InterruptedException e) {
                return null;
            }
        });
        ui.useBase(follower);
        String key = RUN + "/crud/alpha";

        // Set, through a follower: the write has to reach the leader by redirect.
        ui.open("keys");
        ui.click("new-key");
        ui.type("edit-key-input", key);
        ui.type("edit-value-input", "first value");
        ui.click("save-key");
        ui.untilText("detail-key", key);
        ui.untilText("value-box", "first value");
        long firstRevision = revisionShown();
        assertThat(api.getKey(key).body().path("value").asText()).isEqualTo("first value");

        // Create-only on a key that exists is refused, and says so.
        ui.click("new-key");
        ui.type("edit-key-input", key);
        ui.type("edit-value-input", "must not land");
        ui.click("save-key");
        ui.untilTextContains("conflict", "already exists");
        assertThat(api.getKey(key).body().path("value").asText()).isEqualTo("first value");

        // Get by exact key, then update it; the update is conditional on the revision read.
        ui.type("find-input", key);
        ui.click("find-go");
        ui.untilText("value-box", "first value");
        ui.click("edit-key");
        ui.type("edit-value-input", "second value");
        ui.click("save-key");
        ui.untilText("value-box", "second value");
        assertThat(revisionShown()).isGreaterThan(firstRevision);

        // Browse by prefix, ten to a page.
        for (int i = 0; i < 11; i++) {
            assertThat(api.put(RUN + "/crud/k" + String.format("%02d", i), "v" + i).status()).isEqualTo(200);
        }
        new Select(ui.driver().findElement(By.cssSelector("select[aria-label='Keys per page']")))
                .selectByValue("10");
        ui.type("prefix-input", RUN + "/crud/");
        ui.click("prefix-go");
        ui.until("first page of 10 keys starting at " + key,
                d -> rowKeys().size() == 10 && rowKeys().get(0).equals(key));
        ui.untilTextContains("page-label", "Page 1");
        ui.click("page-next");
        ui.until("second page holding k09 and k10",
                d -> rowKeys().equals(List.of(RUN + "/crud/k09", RUN + "/crud/k10")));
        ui.untilTextContains("page-label", "Page 2");
        ui.click("page-prev");
        ui.until("first page of 10 keys starting at " + key,
                d -> rowKeys().size() == 10 && rowKeys().get(0).equals(key));

        // Delete asks first; cancelling keeps the key.
        ui.all("key-row").get(0).click();
        ui.untilText("detail-key", key);
        ui.click("delete-key");
        ui.click("confirm-cancel");
        ui.untilText("detail-key", key);
        assertThat(api.getKey(key).status()).isEqualTo(200);
        ui.click("delete-key");
        ui.click("confirm-ok");
        ui.until("the list without the deleted key", d -> !rowKeys().isEmpty() && !rowKeys().contains(key));
        assertThat(api.getKey(key).status()).isEqualTo(404);

        ui.type("find-input", key);
        ui.click("find-go");
        ui.visible("key-missing");
    }

    @Test
    void anEditOfAValueChangedSinceItWasReadIsRefused() throws Exception {
        String key = RUN + "/stale/config";
        assertThat(api.put(key, "as read").status()).isEqualTo(200);
        ui.open("keys?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8));
        ui.untilText("value-box", "as read");
        ui.click("edit-key");
        assertThat(api.put(key, "written meanwhile").status()).isEqualTo(200);
        ui.type("edit-value-input", "my edit");
        ui.click("save-key");
        ui.untilTextContains("conflict", "Changed since you read it");
        assertThat(api.getKey(key).body().path("value").asText()).isEqualTo("written meanwhile");
    }

    @Test
    void binaryLookingValuesAreShownEscapedAndAsHex() throws Exception {
        String key = RUN + "/binary";
        assertThat(api.put(key, "\u0001\u0002ab\u0000").status()).isEqualTo(200);
        ui.open("keys?key=" + key);
        ui.untilTextContains("value-box", "00000000  01 02 61 62 00");
        ui.untilText("value-length", "5 chars · 5 B");
        ui.click("view-text");
        ui.untilText("value-box", "\\x01\\x02ab\\0");
        assertThat(ui.driver().findElements(By.cssSelector(".value-box .esc"))).hasSize(3);
    }

    @Test
    void anUnreachableNodeShowsABannerInsteadOfHanging() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ui.useBase("http://127.0.0.1:" + closedPort);
        ui.open("keys");
        ui.untilTextContains("banner", "Cannot reach 127.0.0.1:" + closedPort);
        ui.visible("list-error");
    }

    @Test
    void aWriteWithoutALeaderSaysRetryingAndWorksOnceALeaderIsBack() throws Exception {
        assumeTrue(cluster.controllable(), "needs a cluster this test started, to stop members");
        int leader = ui.until("a leader", d -> {
            try {
                int i = api.leaderIndex();
                return i < 0 ? null : i;
            } catch (IOException | InterruptedException e) {
                return null;
            }
        });
        int survivor = (leader + 1) % bases.size();
        String key = RUN + "/failover";
        // The page must come from the member that stays up.
        UiDriver alone = new UiDriver(chrome.driver, bases.get(survivor) + "/ui/");
        List<Integer> stopped = List.of(leader, (leader + 2) % bases.size());
        try {
            stopped.forEach(cluster::kill);
            alone.until("member " + survivor + " to know it has no leader",
                    d -> api.knowsNoLeader(bases.get(survivor)));
            alone.open("keys");
            alone.forgetBase();
            alone.click("new-key");
            alone.type("edit-key-input", key);
            alone.type("edit-value-input", "written after the election");
            alone.click("save-key");
            alone.untilTextContains("banner", "No leader, retrying");
            // Retries are bounded: the UI gives up and says why instead of spinning forever.
            alone.untilTextContains("detail-error", "no leader");
        } finally {
            // Every member comes back even when the test failed, so the other tests keep a full cluster.
            stopped.forEach(cluster::restart);
            cluster.awaitLeader();
        }
        alone.click("save-key");
        alone.untilText("detail-key", key);
        alone.until("the banner to clear",
                d -> Boolean.TRUE.equals(alone.js("return document.getElementById('banner').hidden")));
        // The first member may have restarted and not yet heard from the leader: it answers 503 until then.
        DirectApi.Reply written = alone.until("member 0 to answer a read after the restart", d -> {
            try {
                DirectApi.Reply r = api.getKey(key);
                return r.status() == 503 ? null : r;
            } catch (IOException | InterruptedException e) {
                return null;
            }
        });
        assertThat(written.status()).isEqualTo(200);
        assertThat(written.body().path("value").asText()).isEqualTo("written after the election");
    }

    private static List<String> rowKeys() {
        return ui.all("key-row").stream().map(r -> r.getDomAttribute("data-key")).toList();
    }

    private static long revisionShown() {
        WebElement detail = ui.visible("key-detail");
        return Long.parseLong(ui.until("a revision on the shown key", d -> {
            String r = detail.getDomAttribute("data-revision");
            return r == null || r.isEmpty() ? null : r;
        }));
    }
}
