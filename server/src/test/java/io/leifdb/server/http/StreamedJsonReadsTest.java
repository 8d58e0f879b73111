package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.server.kv.KeyValue;
import io.leifdb.server.kv.Utf8;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * JSON reads of a value that arrives while it is written (a coded value whose entry recorded its
 * kind): the body is byte for byte the answer built from the whole value for every kind, however the
 * value's parts fall, and a failure after the first byte cuts the answer short instead of passing for
 * a complete one.
 */
class StreamedJsonReadsTest extends ApiTestBase {
    private final HttpClient http = HttpClient.newHttpClient();
    /** Parts written by streamed reads: proof that an answer took the streamed path. */
    private final AtomicInteger parts = new AtomicInteger();

    @Override
    HttpSettings settings() {
        return HttpSettings.loopback(0).withLimits(256, 1 << 20);
    }

    /** A value of each kind, binary ones of each length modulo 3, and the empty value. */
    private static Map<String, byte[]> values() {
        Random r = new Random(3);
        Map<String, byte[]> values = new LinkedHashMap<>();
        StringBuilder plain = new StringBuilder();
        while (plain.length() < 300_000) plain.append((char) ('a' + r.nextInt(26)));
        values.put("plain", plain.toString().getBytes(StandardCharsets.US_ASCII));
        values.put("escapes", "x\"\u00e9\u4e2d\ud83d\ude00\n\\\t\u0001/".repeat(15_000).getBytes(StandardCharsets.UTF_8));
        for (int n = 300_000; n < 300_003; n++) {
            byte[] binary = new byte[n];
            r.nextBytes(binary);
            binary[0] = (byte) 0xC0; // never UTF-8
            values.put("binary" + n % 3, binary);
        }
        values.put("empty", new byte[0]);
        return values;
    }

    /** Writes the value in parts of random sizes, from single bytes to more than a stripe. */
    private ValueStream inParts(KeyValue kv, long seed) {
        return new ValueStream(kv, kv.value().length, Utf8.scan(kv.value()), out -> {
            Random r = new Random(seed);
            byte[] v = kv.value();
            for (int at = 0; at < v.length; ) {
                int n = Math.min(v.length - at, 1 + r.nextInt(r.nextBoolean() ? 5 : 70_000));
                out.write(v, at, n);
                parts.incrementAndGet();
                at += n;
            }
        });
    }

    private HttpResponse<byte[]> read(String key) throws IOException, InterruptedException {
        return http.send(client.request("/db/" + key + "?consistency=stale").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void everyKindStreamsTheBytesOfTheWholeValuesAnswer() throws Exception {
        long seed = 0;
        for (var e : values().entrySet()) {
            backend.data.put(e.getKey(), new KeyValue(e.getKey(), e.getValue(), 5, 7, 2, null));
            backend.streams = null;
            HttpResponse<byte[]> whole = read(e.getKey());
            assertThat(whole.statusCode()).isEqualTo(200);
            long seedOfRead = ++seed;
            backend.streams = kv -> inParts(kv, seedOfRead);
            int before = parts.get();
            HttpResponse<byte[]> streamed = read(e.getKey());
            assertThat(streamed.statusCode()).isEqualTo(200);
            if (e.getValue().length > 0) assertThat(parts.get() - before).as("parts of %s", e.getKey()).isPositive();
            assertThat(new String(streamed.body(), StandardCharsets.UTF_8)).as(e.getKey())
                    .isEqualTo(new String(whole.body(), StandardCharsets.UTF_8));
            assertThat(streamed.body()).isEqualTo(whole.body());
            assertThat(streamed.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(streamed.headers().firstValue("etag")).hasValue("\"7\"");
            if (e.getKey().equals("escapes")) {
                // Its length is known only once every byte was escaped: chunked, where the whole answer has a length.
                assertThat(streamed.headers().firstValue("transfer-encoding")).hasValue("chunked");
            } else {
                assertThat(streamed.headers().firstValue("content-length")).hasValue(Integer.toString(whole.body().length));
            }
        }
    }

    @Test
    void aFailureAfterTheFirstByteCutsTheAnswerShortForEveryKind() throws Exception {
        for (var e : values().entrySet()) {
            if (e.getValue().length == 0) continue;
            backend.data.put(e.getKey(), new KeyValue(e.getKey(), e.getValue(), 5, 7, 2, null));
            CountDownLatch gate = new CountDownLatch(1);
            backend.streams = kv -> StreamedReadsTest.halves(kv, gate, true).withKind(Utf8.scan(kv.value()));
            var answer = http.sendAsync(client.request("/db/" + e.getKey()).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            gate.countDown();
            assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS)).as("never a complete-looking 200 for %s", e.getKey())
                    .hasCauseInstanceOf(IOException.class);
        }
        backend.streams = null; // the server still answers the next read
        HttpResponse<byte[]> r = read("plain");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(ApiClient.MAPPER.readTree(r.body()).path("value").asText().length()).isEqualTo(300_000);
    }

    @Test
    void conditionalAndHeadReadsAnswerAsForAWholeValue() throws Exception {
        byte[] value = values().get("escapes");
        backend.data.put("k", new KeyValue("k", value, 5, 7, 2, null));
        backend.streams = kv -> inParts(kv, 1);
        HttpResponse<byte[]> same = http.send(client.request("/db/k").header("If-None-Match", "\"7\"").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.body()).isEmpty();

        HttpResponse<byte[]> get = read("k");
        HttpResponse<Void> head = http.send(client.request("/db/k").method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("content-length")).hasValue(Integer.toString(get.body().length));
    }
}
