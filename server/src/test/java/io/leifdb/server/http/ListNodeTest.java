package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /db with keysOnly, delimiter and count, over a real node's store and its pagination. */
class ListNodeTest extends NodeTestBase {
    @BeforeAll
    static void seed() {
        for (String k : List.of("app/a", "app/b", "app/conf/x", "app/conf/y", "app/conf/z/deep", "app/logs/1",
                "app/m", "app/z/", "apple", "b/other")) {
            ok(node.client.putJson("/db/" + URLEncoder.encode(k, StandardCharsets.UTF_8), "v-" + k));
        }
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(field == null ? n.asText() : n.path(field).asText()));
        return out;
    }

    @Test
    void keysOnlyListsKeysWithoutValues() {
        JsonNode body = ok(node.client.get("/db?prefix=app%2F&keysOnly=true"));
        assertThat(texts(body.path("items"), "key")).containsExactly("app/a", "app/b", "app/conf/x", "app/conf/y",
                "app/conf/z/deep", "app/logs/1", "app/m", "app/z/");
        body.path("items").forEach(i -> assertThat(i.has("value")).isFalse());
        assertThat(body.has("prefixes")).isFalse();
        assertThat(body.has("count")).isFalse();
    }

    @Test
    void aDelimiterFoldsEachDirectoryIntoOneCommonPrefix() {
        JsonNode body = ok(node.client.get("/db?prefix=app%2F&delimiter=%2F&count=true"));
        assertThat(texts(body.path("items"), "key")).containsExactly("app/a", "app/b", "app/m");
        assertThat(body.path("items").get(0).path("value").asText()).isEqualTo("v-app/a");
        assertThat(texts(body.path("prefixes"), null)).containsExactly("app/conf/", "app/logs/", "app/z/");
        assertThat(body.path("count").asLong()).isEqualTo(6);
        assertThat(body.path("next").isNull()).isTrue();
        JsonNode top = ok(node.client.get("/db?delimiter=%2F&keysOnly=true&count=true"));
        assertThat(texts(top.path("items"), "key")).containsExactly("apple");
        assertThat(texts(top.path("prefixes"), null)).containsExactly("app/", "b/");
        assertThat(top.path("count").asLong()).isEqualTo(3);
    }

    @Test
    void pagesOfAFoldedListingNeverRepeatAPrefix() {
        List<String> seen = new ArrayList<>();
        String after = null;
        do {
            JsonNode body = ok(node.client.get("/db?prefix=app%2F&delimiter=%2F&keysOnly=true&limit=2"
                    + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8))));
            assertThat(body.path("items").size() + body.path("prefixes").size()).isLessThanOrEqualTo(2);
            seen.addAll(texts(body.path("items"), "key"));
            seen.addAll(texts(body.path("prefixes"), null));
            after = body.path("next").isNull() ? null : body.path("next").asText();
        } while (after != null);
        assertThat(seen).containsExactlyInAnyOrder("app/a", "app/b", "app/conf/", "app/logs/", "app/m", "app/z/");
    }

    @Test
    void countWithoutDelimiterCountsEveryKeyAndBadFlagsAre400() {
        assertThat(ok(node.client.get("/db?prefix=app&count=true&limit=1")).path("count").asLong()).isEqualTo(9);
        ApiTestBase.assertError(node.client.get("/db?keysOnly=yes"), 400, "bad_keysOnly");
        ApiTestBase.assertError(node.client.get("/db?count=1"), 400, "bad_count");
    }
}
