package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** POST /txn against a real node: compares, both branches, one revision for all writes, and bad input as 4xx JSON. */
class TxnNodeTest extends NodeTestBase {
    private static void error(HttpResponse<String> r, int status, String code) {
        ApiTestBase.assertError(r, status, code);
    }

    @Test
    void theIssuesExampleSwapsAtomicallyAtOneRevision() {
        ok(node.client.putJson("/db/a", "100"));
        ok(node.client.put("/db/c", "{\"value\":\"gone soon\"}"));
        JsonNode r = ok(node.client.post("/txn", """
                {"compare": [{"key": "a", "target": "value", "op": "==", "value": "100"}],
                 "success": [{"put": {"key": "a", "value": "50"}}, {"delete": {"key": "c"}}],
                 "failure": [{"get": {"key": "a"}}]}"""));
        assertThat(r.path("succeeded").asBoolean()).isTrue();
        long rev = r.path("revision").asLong();
        assertThat(r.path("results").get(0).path("put").path("revision").asLong()).isEqualTo(rev);
        assertThat(r.path("results").get(1).path("delete").path("deleted").asBoolean()).isTrue();
        JsonNode a = ok(node.client.get("/db/a"));
        assertThat(a.path("value").asText()).isEqualTo("50");
        assertThat(a.path("revision").asLong()).isEqualTo(rev);
        assertThat(node.client.get("/db/c").statusCode()).isEqualTo(404);

        JsonNode again = ok(node.client.post("/txn", """
                {"compare": [{"key": "a", "target": "value", "op": "==", "value": "100"}],
                 "success": [{"put": {"key": "a", "value": "0"}}],
                 "failure": [{"get": {"key": "a"}}, {"get": {"key": "c"}}]}"""));
        assertThat(again.path("succeeded").asBoolean()).isFalse();
        assertThat(again.path("revision").asLong()).isGreaterThan(rev);
        JsonNode got = again.path("results").get(0).path("get");
        assertThat(got.path("found").asBoolean()).isTrue();
        assertThat(got.path("value").asText()).isEqualTo("50");
        assertThat(got.path("revision").asLong()).isEqualTo(rev);
        assertThat(again.path("results").get(1).path("get").path("found").asBoolean()).isFalse();
    }

    @Test
    void numericTargetsCompareWithEveryOperator() {
        long rev = ok(node.client.put("/db/n", "{\"value\":\"v\"}")).path("revision").asLong();
        String[][] cases = {
                {"version", "==", "1", "true"}, {"version", "!=", "1", "false"}, {"version", ">", "0", "true"},
                {"createRevision", "==", Long.toString(rev), "true"}, {"revision", "<", Long.toString(rev), "false"},
                {"revision", ">", Long.toString(rev - 1), "true"}, {"value", "<", "\"w\"", "true"},
                {"value", ">", "\"w\"", "false"}, {"value", "!=", "\"v\"", "false"}};
        for (String[] c : cases) {
            String body = "{\"compare\": [{\"key\": \"n\", \"target\": \"" + c[0] + "\", \"op\": \"" + c[1]
                    + "\", \"value\": " + c[2] + "}]}";
            assertThat(ok(node.client.post("/txn", body)).path("succeeded").asText()).as(body).isEqualTo(c[3]);
        }
        // Create-if-absent: version 0 means the key does not exist.
        String create = """
                {"compare": [{"key": "fresh", "target": "version", "op": "==", "value": 0}],
                 "success": [{"put": {"key": "fresh", "value": "mine"}}]}""";
        assertThat(ok(node.client.post("/txn", create)).path("succeeded").asBoolean()).isTrue();
        assertThat(ok(node.client.post("/txn", create)).path("succeeded").asBoolean()).isFalse();
        JsonNode fresh = ok(node.client.get("/db/fresh"));
        assertThat(fresh.path("version").asLong()).isEqualTo(1);
    }

    @Test
    void malformedTransactionsAre400AndOversizedOnes413() {
        String[] bad = {
                "not json", "[]", "{\"compare\": {}}", "{\"bogus\": []}",
                "{\"compare\": [{\"key\": \"a\", \"target\": \"size\", \"op\": \"==\", \"value\": 1}]}",
                "{\"compare\": [{\"key\": \"a\", \"target\": \"version\", \"op\": \"<=\", \"value\": 1}]}",
                "{\"compare\": [{\"key\": \"a\", \"target\": \"version\", \"op\": \"==\", \"value\": -1}]}",
                "{\"compare\": [{\"key\": \"a\", \"target\": \"version\", \"op\": \"==\", \"value\": \"1\"}]}",
                "{\"compare\": [{\"key\": \"a\", \"target\": \"value\", \"op\": \"==\", \"value\": 1}]}",
                "{\"success\": [{\"put\": {\"key\": \"a\"}}]}",
                "{\"success\": [{\"rename\": {\"key\": \"a\"}}]}",
                "{\"success\": [{\"put\": {\"key\": \"a\", \"value\": \"1\", \"lease\": 7}}]}",
                "{\"success\": [{\"put\": {\"key\": \"a\", \"value\": \"1\"}, \"get\": {\"key\": \"a\"}}]}",
                "{\"success\": [], \"success\": []}",
                "{\"success\": []} trailing"};
        for (String body : bad) {
            error(node.client.post("/txn", body), 400, "malformed_txn");
        }
        error(node.client.post("/txn", "{\"success\": [{\"get\": {\"key\": \"\"}}]}"), 400, "empty_key");
        StringBuilder many = new StringBuilder("{\"success\": [");
        for (int i = 0; i <= 128; i++) {
            many.append(i == 0 ? "" : ",").append("{\"get\": {\"key\": \"k").append(i).append("\"}}");
        }
        error(node.client.post("/txn", many.append("]}").toString()), 413, "too_many_operations");
    }
}
