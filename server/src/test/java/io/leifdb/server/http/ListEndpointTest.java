package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListEndpointTest extends ApiTestBase {

    @Test
    void listsByPrefixInKeyOrderWithValuesAndRevisions() {
        client.putJson("/db/user%2Fb", "2");
        client.putJson("/db/user%2Fa", "1");
        client.putJson("/db/other", "x");
        JsonNode body = ApiClient.json(client.get("/db?prefix=user%2F"));
        assertThat(body.path("items")).hasSize(2);
        assertThat(body.path("items").get(0).path("key").asText()).isEqualTo("user/a");
        assertThat(body.path("items").get(0).path("value").asText()).isEqualTo("1");
        assertThat(body.path("items").get(0).path("revision").asLong()).isEqualTo(2);
        assertThat(body.path("items").get(1).path("key").asText()).isEqualTo("user/b");
        assertThat(body.path("next").isNull()).isTrue();
        assertThat(backend.lastLinearizable).isTrue();
    }

    @Test
    void pagesFollowTheNextCursorUntilItIsNull() {
        for (int i = 0; i < 25; i++) {
            client.putJson("/db/k" + (char) ('a' + i), "v" + i);
        }
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            String q = "/db?limit=10&consistency=stale"
                    + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
            JsonNode body = ApiClient.json(client.get(q));
            body.path("items").forEach(item -> seen.add(item.path("key").asText()));
            after = body.path("next").isNull() ? null : body.path("next").asText();
            pages++;
        } while (after != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(25).isSorted().doesNotHaveDuplicates();
        assertThat(backend.lastLinearizable).isFalse();
    }

    @Test
    void defaultLimitIs100() {
        for (int i = 0; i < 105; i++) {
            client.putJson("/db/" + String.format("k%03d", i), "v");
        }
        JsonNode body = ApiClient.json(client.get("/db"));
        assertThat(body.path("items")).hasSize(100);
        assertThat(body.path("next").asText()).isEqualTo("k099");
    }

    @Test
    void invalidLimitsAre400() {
        for (String limit : new String[] {"0", "-1", "1001", "abc", "", "1e3"}) {
            assertError(client.get("/db?limit=" + limit), 400, "bad_limit");
        }
        assertThat(client.get("/db?limit=1000").statusCode()).isEqualTo(200);
        assertError(client.get("/db?consistency=weak"), 400, "bad_consistency");
        assertError(client.get("/db?page=2"), 400, "unknown_parameter");
    }
}
