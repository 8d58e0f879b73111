package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and the routes must describe the same API, in both directions. */
class OpenApiRoutesTest extends ApiTestBase {
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    static JsonNode document() throws IOException {
        try (InputStream in = OpenApiRoutesTest.class.getClassLoader().getResourceAsStream(Docs.OPENAPI_RESOURCE)) {
            assertThat(in).as("openapi.json on the classpath").isNotNull();
            return ApiClient.MAPPER.readTree(in);
        }
    }

    /** "METHOD path operationId [query params]" for every operation in the document. */
    static Set<String> documented(JsonNode doc) {
        Set<String> ops = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> m : path.getValue().properties()) {
                if (!HTTP_METHODS.contains(m.getKey())) {
                    continue;
                }
                List<String> query = new ArrayList<>();
                for (JsonNode p : m.getValue().path("parameters")) {
                    JsonNode param = resolve(doc, p);
                    if (param.path("in").asText().equals("query")) {
                        query.add(param.path("name").asText());
                    }
                }
                ops.add(m.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey() + " "
                        + m.getValue().path("operationId").asText() + " " + new TreeSet<>(query));
            }
        }
        return ops;
    }

    static JsonNode resolve(JsonNode doc, JsonNode node) {
        if (!node.has("$ref")) {
            return node;
        }
        JsonNode target = doc.at(node.path("$ref").asText().substring(1));
        assertThat(target.isMissingNode()).as("dangling " + node).isFalse();
        return target;
    }

    static Set<String> routed() {
        Set<String> ops = new TreeSet<>();
        for (Endpoint e : Endpoint.values()) {
            ops.add(e.method.text() + " " + e.path + " " + e.operationId + " " + new TreeSet<>(e.queryParams));
        }
        return ops;
    }

    @Test
    void documentAndRouteTableListTheSameOperations() throws IOException {
        assertThat(documented(document())).containsExactlyInAnyOrderElementsOf(routed());
    }

    @Test
    void originalOperationIdsAndModelsAreKept() throws IOException {
        JsonNode doc = document();
        assertThat(documented(doc)).anyMatch(s -> s.startsWith("GET /health http-health"))
                .anyMatch(s -> s.startsWith("GET /db/{key} db-read"))
                .anyMatch(s -> s.startsWith("PUT /db/{key} db-write"))
                .anyMatch(s -> s.startsWith("DELETE /db/{key} db-delete"));
        JsonNode schemas = doc.path("components").path("schemas");
        assertThat(schemas.path("HealthResponse").path("properties").has("status")).isTrue();
        assertThat(schemas.path("HealthResponse").path("properties").has("version")).isTrue();
        assertThat(schemas.path("ReadResponse").path("properties").has("value")).isTrue();
        assertThat(schemas.path("WriteRequest").path("properties").has("value")).isTrue();
        assertThat(schemas.path("WriteResponse").path("properties").has("status")).isTrue();
        assertThat(schemas.path("DeleteResponse").path("properties").has("status")).isTrue();
    }

    @Test
    void everyReferenceInTheDocumentResolves() throws IOException {
        JsonNode doc = document();
        List<JsonNode> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        refs.forEach(r -> resolve(doc, r));
    }

    private static void collectRefs(JsonNode n, List<JsonNode> out) {
        if (n.has("$ref")) {
            out.add(n);
        }
        n.forEach(child -> collectRefs(child, out));
    }

    {
        backend.auth = new InMemoryAuth(); // users and roles to name in /auth paths; no root user, so auth stays off
    }

    /** Every documented operation is served (not 404/405); every other method on its path is 405. */
    @Test
    void liveServerAnswersEveryDocumentedOperationAndRefusesTheRest() throws IOException {
        client.putJson("/db/k", "v");
        String role = "{\"name\":\"reader\",\"permissions\":[{\"prefix\":\"p/\",\"access\":\"read\"}]}";
        assertThat(client.send(client.request("/auth/roles").POST(HttpRequest.BodyPublishers.ofString(role))).statusCode()).isEqualTo(201);
        for (String user : List.of("alice", "bob")) {
            String body = "{\"name\":\"" + user + "\",\"password\":\"pass-word-1\"}";
            assertThat(client.send(client.request("/auth/users").POST(HttpRequest.BodyPublishers.ofString(body))).statusCode()).isEqualTo(201);
        }
        JsonNode doc = document();
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            // Each path names its own user, so one that DELETE removed is not needed by a later path.
            String name = path.getKey().startsWith("/auth/roles/") ? "reader"
                    : path.getKey().equals("/auth/users/{name}") ? "alice" : "bob";
            String concrete = path.getKey().replace("{key}", "k").replace("{id}", "2").replace("{name}", name);
            for (String method : List.of("GET", "PUT", "DELETE", "POST", "PATCH")) {
                boolean documented = path.getValue().has(method.toLowerCase(Locale.ROOT));
                HttpRequest.Builder b = client.request(concrete).method(method,
                        HttpRequest.BodyPublishers.ofString("{\"value\":\"v\"}"));
                int status = client.send(b).statusCode();
                if (documented) {
                    assertThat(status).as(method + " " + concrete).isNotIn(404, 405);
                } else {
                    assertThat(status).as(method + " " + concrete).isEqualTo(405);
                }
            }
        }
    }
}
