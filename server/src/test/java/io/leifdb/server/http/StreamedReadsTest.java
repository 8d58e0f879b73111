package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.server.kv.KeyValue;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Raw reads of a value that arrives while it is written (a coded value gathered stripe by stripe):
 * the answer carries the stored length, the bytes come out whole, and a failure after the first
 * byte cuts the body short of that length instead of passing for a complete answer.
 */
class StreamedReadsTest extends ApiTestBase {
    private final byte[] value = new byte[600_000];
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    HttpSettings settings() {
        return HttpSettings.loopback(0).withLimits(256, 1 << 20);
    }

    private void store() {
        new Random(3).nextBytes(value);
        backend.data.put("big", new KeyValue("big", value, 5, 5, 1, null));
    }

    private HttpRequest raw() {
        return client.request("/db/big?consistency=stale").header("Accept", "application/octet-stream").GET().build();
    }

    /** Writes the first half, waits for {@code gate}, then writes the rest or fails. */
    static ValueStream halves(KeyValue kv, CountDownLatch gate, boolean failAfterHalf) {
        return new ValueStream(kv, kv.value().length, out -> {
            out.write(kv.value(), 0, kv.value().length / 2);
            out.flush();
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failAfterHalf) throw new IOException("fewer than k shares of stripe 4");
            out.write(kv.value(), kv.value().length / 2, kv.value().length - kv.value().length / 2);
        });
    }

    @Test
    void aValueWrittenInPartsArrivesWholeWithItsLengthAndRevision() throws Exception {
        store();
        CountDownLatch gate = new CountDownLatch(1);
        backend.streams = kv -> halves(kv, gate, false);
        var answer = http.sendAsync(raw(), HttpResponse.BodyHandlers.ofByteArray());
        gate.countDown();
        HttpResponse<byte[]> r = answer.get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-length")).hasValue(Integer.toString(value.length));
        assertThat(r.headers().firstValue("transfer-encoding")).isEmpty();
        assertThat(r.headers().firstValue("etag")).hasValue("\"5\"");
        assertThat(r.body()).isEqualTo(value);

        HttpResponse<byte[]> same = http.send(client.request("/db/big").header("Accept", "application/octet-stream")
                .header("If-None-Match", "\"5\"").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(same.statusCode()).isEqualTo(304);
    }

    @Test
    void aFailureAfterTheFirstByteCutsTheBodyShortOfItsLength() throws Exception {
        store();
        CountDownLatch gate = new CountDownLatch(1);
        backend.streams = kv -> halves(kv, gate, true);
        var answer = http.sendAsync(raw(), HttpResponse.BodyHandlers.ofByteArray());
        gate.countDown();
        assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS)).as("never a complete-looking 200")
                .hasCauseInstanceOf(IOException.class);

        backend.streams = null; // the server still answers the next read
        HttpResponse<byte[]> r = http.send(raw(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Arrays.equals(r.body(), value)).isTrue();
    }

    @Test
    void aFailureBeforeTheFirstByteIsAnErrorAnswer() {
        store();
        backend.failNext(() -> new io.leifdb.raft.driver.OutcomeUnknownException("fewer than 3 fragments reachable"));
        HttpResponse<String> r = client.send(client.request("/db/big").header("Accept", "application/octet-stream").GET());
        assertThat(r.statusCode()).isEqualTo(503);
    }
}
