package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One {@link SingleNode} per test class, shared by its tests (so they use keys of their own) and always stopped. */
abstract class NodeTestBase {
    @TempDir
    static Path dir;
    static SingleNode node;

    @BeforeAll
    static void startNode() throws IOException {
        node = new SingleNode(dir.resolve("n1"), Map.of());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) node.close();
    }

    static JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ApiClient.json(r);
    }
}
