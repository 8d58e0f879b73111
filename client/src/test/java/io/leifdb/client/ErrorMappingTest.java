package io.leifdb.client;

import static io.leifdb.client.FakeNode.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every server answer becomes a value or a typed exception carrying the status and the JSON code and error. */
class ErrorMappingTest {
    @Test
    void aMissingKeyIsEmptyAndOtherErrorsCarryStatusCodeAndMessage() throws IOException {
        try (FakeNode node = new FakeNode((ex, n) -> {
                switch (n) {
                    case 1 -> json(ex, 404, "{\"error\":\"key not found\",\"code\":\"not_found\"}");
                    case 2 -> json(ex, 400, "{\"error\":\"limit=\\\"0\\\" is not valid\",\"code\":\"bad_limit\"}");
                    case 3 -> {
                        byte[] b = "oops".getBytes(StandardCharsets.UTF_8);
                        ex.sendResponseHeaders(500, b.length);
                        try (OutputStream out = ex.getResponseBody()) {
                            out.write(b);
                        }
                    }
                    default -> json(ex, 410, "{\"error\":\"compacted\",\"code\":\"compacted\",\"oldestRevision\":40}");
                }
            });
             LeifClient c = LeifClient.builder(node.url()).maxAttempts(1).build()) {
            assertThat(c.get("gone")).isEmpty();
            assertThatThrownBy(() -> c.list(ListQuery.prefix("p"))).isInstanceOfSatisfying(LeifException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.code()).isEqualTo("bad_limit");
                assertThat(e.getMessage()).isEqualTo("limit=\"0\" is not valid");
            });
            assertThatThrownBy(() -> c.admin().cluster()).isInstanceOfSatisfying(LeifException.class, e -> {
                assertThat(e.status()).isEqualTo(500);
                assertThat(e.code()).isEqualTo("http_500");
            });
            assertThatThrownBy(() -> c.call("GET", "/watch?key=k&fromRevision=1", null))
                    .isInstanceOfSatisfying(HistoryCompactedException.class, e -> assertThat(e.oldestRevision()).isEqualTo(40));
        }
    }

    @Test
    void listingParsesEveryPartOfAPageAndSendsEveryOption() throws IOException {
        try (FakeNode node = new FakeNode((ex, n) -> json(ex, 200, "{\"items\":[{\"key\":\"d/a\",\"value\":\"1\","
                + "\"createRevision\":2,\"revision\":3,\"version\":2},{\"key\":\"d/b\",\"value\":\"AP8=\",\"encoding\":\"base64\"}],"
                + "\"prefixes\":[\"d/c/\"],\"next\":\"d/b\",\"count\":7}"));
             LeifClient c = LeifClient.builder(node.url()).build()) {
            Page p = c.list(ListQuery.prefix("d/").withAfter("d/0").withLimit(2).withDelimiter("/").withCount().withStale());
            assertThat(node.seen.getFirst().uri())
                    .isEqualTo("/db?prefix=d%2F&after=d%2F0&limit=2&delimiter=%2F&count=true&consistency=stale");
            assertThat(p.items()).extracting(KeyValue::key).containsExactly("d/a", "d/b");
            assertThat(p.items().getFirst().modRevision()).isEqualTo(3);
            assertThat(p.items().get(1).value()).containsExactly(0, 255);
            assertThat(p.prefixes()).containsExactly("d/c/");
            assertThat(p.next()).contains("d/b");
            assertThat(p.count()).hasValue(7);
            c.list(ListQuery.prefix("").withKeysOnly());
            assertThat(node.seen.get(1).uri()).isEqualTo("/db?prefix=&limit=100&keysOnly=true");
        }
    }

    @Test
    void aBadUrlIsOneClearError() {
        assertThatThrownBy(() -> LeifClient.builder("localhost:8080").build()).isInstanceOfSatisfying(LeifException.class,
                e -> assertThat(e.getMessage()).isEqualTo("\"localhost:8080\" is not valid: expected http://host:port or https://host:port"));
    }
}
