package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void decodesPercentEscapesAsUtf8AndKeepsPlusInPaths() {
        assertThat(Keys.fromRawPath("/db/a%2Fb", 100)).isEqualTo("a/b");
        assertThat(Keys.fromRawPath("/db/a/b", 100)).isEqualTo("a/b");
        assertThat(Keys.fromRawPath("/db/%E2%9C%93+x", 100)).isEqualTo("✓+x");
        assertThat(Keys.fromRawPath("/db/%252F", 100)).as("decoded once only").isEqualTo("%2F");
    }

    @Test
    void queryDecodingTurnsPlusIntoSpace() {
        assertThat(Keys.decode("a+b%2B", 0, 6, true, "c", "w")).isEqualTo("a b+");
    }

    @Test
    void malformedEscapesAndInvalidUtf8AreBadRequests() {
        for (String raw : List.of("/db/%zz", "/db/ab%4", "/db/%", "/db/%C3%28", "/db/%FF")) {
            assertThatThrownBy(() -> Keys.fromRawPath(raw, 100)).isInstanceOfSatisfying(ApiError.class, e -> {
                assertThat(e.code).isEqualTo("bad_key");
                assertThat(e.status.code()).isEqualTo(400);
            });
        }
    }

    @Test
    void lengthIsCountedInUtf8Bytes() {
        assertThat(Keys.utf8Length("aé✓🚀", "key")).isEqualTo(1 + 2 + 3 + 4);
        assertThatThrownBy(() -> Keys.checkKey("éé", 3, "key"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code).isEqualTo("key_too_long"));
        Keys.checkKey("éa", 3, "key");
    }

    @Test
    void valueOverTheLimitIs413() {
        assertThat(Keys.valueBytes("ab", 2)).hasSize(2);
        assertThatThrownBy(() -> Keys.valueBytes("aé", 2))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status.code()).isEqualTo(413));
    }

    @Test
    void queryParamsRejectUnknownAndDuplicateNames() {
        QueryParams q = QueryParams.parse("a=1&b=x+y&&c", List.of("a", "b", "c", "d"));
        assertThat(q.get("a")).isEqualTo("1");
        assertThat(q.get("b")).isEqualTo("x y");
        assertThat(q.get("c")).isEmpty();
        assertThat(q.get("d")).isNull();
        assertThatThrownBy(() -> QueryParams.parse("z=1", List.of("a")))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code).isEqualTo("unknown_parameter"));
        assertThatThrownBy(() -> QueryParams.parse("a=1&a=2", List.of("a")))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code).isEqualTo("duplicate_parameter"));
        assertThatThrownBy(() -> QueryParams.parse("a=%zz", List.of("a")))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code).isEqualTo("bad_query"));
    }
}
