package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LEIFDB_CORS_ORIGINS: listed origins are admitted by name, and a page from any other origin gets no CORS grant. */
class CorsOriginsTest extends ApiTestBase {
    @Override
    HttpSettings settings() {
        return HttpSettings.loopback(0).withCorsOrigins(List.of("https://app.example", "http://localhost:3000"));
    }

    @Test
    void aListedOriginIsGrantedByNameInPreflightAndResponse() {
        HttpResponse<String> pre = preflight("https://app.example");
        assertThat(pre.statusCode()).isEqualTo(200);
        assertThat(pre.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example");
        client.putJson("/db/k", "v");
        HttpResponse<String> r = client.send(client.request("/db/k").header("Origin", "http://localhost:3000").GET());
        assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("http://localhost:3000");
    }

    @Test
    void anotherOriginGetsNoGrant() {
        HttpResponse<String> pre = preflight("https://evil.example");
        assertThat(pre.headers().firstValue("access-control-allow-origin")).isEmpty();
        client.putJson("/db/k", "v");
        HttpResponse<String> r = client.send(client.request("/db/k").header("Origin", "https://evil.example").GET());
        assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    private HttpResponse<String> preflight(String origin) {
        return client.send(client.request("/db/k")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "PUT"));
    }
}
