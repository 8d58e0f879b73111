package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What /txn and /watch decide before the node sees them; the node's own behaviour is in TxnNodeTest and WatchNodeTest. */
class TxnWatchEndpointTest extends ApiTestBase {
    private static final String BODY = "{\"success\": [{\"put\": {\"key\": \"a\", \"value\": \"1\"}}]}";

    @Test
    void aValueCompareIsRefusedWith409WhileValuesMayBeCodedAndOtherTransactionsGoThrough() {
        backend.coded = true;
        String compare = "{\"compare\": [{\"key\": \"a\", \"target\": \"value\", \"op\": \"==\", \"value\": \"1\"}],"
                + " \"success\": [{\"put\": {\"key\": \"a\", \"value\": \"2\"}}]}";
        assertThat(assertError(client.post("/txn", compare), 409, "txn_unsupported_coded").path("error").asText())
                .contains("compare version");
        // No value compare: past the gate (the in-memory backend has no transactions: TxnNodeTest runs them).
        assertThat(client.post("/txn", BODY).statusCode()).isNotEqualTo(409);
    }

    @Test
    void aFollowerRedirectsToTheLeader() {
        backend.failNext(() -> new NotLeaderException(Optional.of("10.0.0.2:8080")));
        HttpResponse<String> r = client.post("/txn", BODY);
        assertThat(r.statusCode()).isEqualTo(307);
        assertThat(r.headers().firstValue("location")).hasValue("http://10.0.0.2:8080/txn");
    }

    @Test
    void aWatchFromACompactedRevisionIs410WithTheOldestKept() {
        backend.historyFloor = 500;
        assertThat(assertError(client.get("/watch?prefix=a&fromRevision=10"), 410, "compacted").path("oldestRevision").asLong())
                .isEqualTo(500);
    }

    @Test
    void otherMethodsAre405AndQueryParametersAre400() {
        assertError(client.get("/txn"), 405, "method_not_allowed");
        assertError(client.send(client.request("/txn?x=1").POST(HttpRequest.BodyPublishers.ofString(BODY))), 400,
                "unknown_parameter");
    }
}
