package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Starts one HttpApi over an {@link InMemoryBackend} per test, on loopback, and always stops it. */
abstract class ApiTestBase {
    final InMemoryBackend backend = new InMemoryBackend();
    final HttpApi api = new HttpApi();
    ApiClient client;

    HttpSettings settings() {
        return HttpSettings.loopback(0);
    }

    @BeforeEach
    void startApi() {
        client = new ApiClient(api.start(settings(), backend));
    }

    @AfterEach
    void stopApi() {
        api.stop();
    }

    /** Asserts the status and that the body is our JSON error with {@code code}; returns the body. */
    static JsonNode assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = ApiClient.json(r);
        assertThat(body.path("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(body.path("error").asText()).isNotBlank().doesNotContain("\n").doesNotContain("Exception");
        return body;
    }
}
