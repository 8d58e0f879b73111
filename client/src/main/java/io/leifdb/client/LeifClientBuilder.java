package io.leifdb.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** Settings of a {@link LeifClient}; each has a default, so {@code LeifClient.builder(url).build()} works. */
public final class LeifClientBuilder {
    private final List<String> urls;
    private Duration timeout = Duration.ofSeconds(10);
    private SSLContext ssl;
    private SSLParameters sslParameters;
    private String authorization;
    private int maxAttempts = 4;
    private Duration firstBackoff = Duration.ofMillis(50);
    private Duration maxBackoff = Duration.ofSeconds(2);
    private RetryRule.Sleeper sleeper = Thread::sleep;

    LeifClientBuilder(List<String> urls) {
        if (urls.isEmpty()) throw new LeifException(0, "bad_url", "no URL given: expected http://host:port or https://host:port");
        this.urls = urls;
    }

    /** How long to wait for connecting and for each answer (default 10 s). */
    public LeifClientBuilder timeout(Duration d) {
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeout must be positive");
        this.timeout = d;
        return this;
    }

    /** Whom to trust and what to present over https (default: the JDK's CAs, no client certificate). */
    public LeifClientBuilder sslContext(SSLContext ctx) {
        this.ssl = ctx;
        return this;
    }

    /** Protocols and cipher suites over https (default: the context's). */
    public LeifClientBuilder sslParameters(SSLParameters p) {
        this.sslParameters = p;
        return this;
    }

    /** Trust the CA certificate(s) in this PEM file instead of the JDK's. */
    public LeifClientBuilder caFile(Path pem) {
        return sslContext(Tls.trusting(pem));
    }

    public LeifClientBuilder basicAuth(String user, String password) {
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** A token from {@code POST /auth/token}. */
    public LeifClientBuilder bearerToken(String token) {
        this.authorization = "Bearer " + token.strip();
        return this;
    }

    /** How often one call is tried in all (default 4; 1 turns retries off). */
    public LeifClientBuilder maxAttempts(int n) {
        if (n < 1) throw new IllegalArgumentException("maxAttempts must be >= 1, got " + n);
        this.maxAttempts = n;
        return this;
    }

    /** The wait before the first retry (default 50 ms); it doubles on each retry up to {@code max} (default 2 s). */
    public LeifClientBuilder backoff(Duration first, Duration max) {
        this.firstBackoff = first;
        this.maxBackoff = max;
        return this;
    }

    LeifClientBuilder sleeper(RetryRule.Sleeper s) {
        this.sleeper = s;
        return this;
    }

    /** The client; throws {@link LeifException} {@code bad_url} naming a URL that is not http(s)://host:port. */
    public LeifClient build() {
        List<String> bases = new ArrayList<>();
        for (String url : urls) bases.add(base(url));
        // Redirects are followed by Transport, so that it can remember the leader and name who failed.
        // HTTP/1.1: the nodes speak nothing newer, and offering h2c costs an Upgrade on every new connection.
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout)
                .executor(Executors.newVirtualThreadPerTaskExecutor()); // fewer platform-thread handoffs per answer
        if (ssl != null) b.sslContext(ssl);
        if (sslParameters != null) b.sslParameters(sslParameters);
        HttpClient http = b.build();
        RetryRule retry = new RetryRule(maxAttempts, firstBackoff, maxBackoff, sleeper);
        return new LeifClient(http, new Transport(http, bases, timeout, authorization, retry), retry);
    }

    private static String base(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new LeifException(0, "bad_url", "\"" + url + "\" is not valid: expected http://host:port or https://host:port");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
