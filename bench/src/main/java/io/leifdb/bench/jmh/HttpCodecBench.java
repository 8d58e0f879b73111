package io.leifdb.bench.jmh;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The JSON work of one HTTP request: parsing a PUT body {"value":"<256 chars>"} into the bytes
 * that get proposed, and rendering a GET response {"value", "revision", "createRevision",
 * "version"} from the stored bytes.
 *
 * <p>io.leifdb.server.http keeps its Json helper package-private, so this cannot call it. The
 * {@code streaming*} benchmarks redo what its handlers do, step for step: a JsonFactory with the
 * same read constraints, a JsonParser over the request stream with the same checks (an object,
 * only "value", a string, nothing after it), UTF-8 to and from bytes, and a JsonGenerator into a
 * ByteArrayBuilder. The {@code tree*} benchmarks measure the databind alternative on the same
 * shapes with one shared ObjectMapper (readTree, writeValueAsBytes of a record), for comparison.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HttpCodecBench {
    static final int VALUE_CHARS = 256;
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    /** The GET response body, for the databind path. */
    public record GetResponse(String value, long revision, long createRevision, long version) {
    }

    private byte[] putBody;
    private byte[] stored;

    @Setup(Level.Trial)
    public void setUp() {
        String value = Payloads.text(VALUE_CHARS, 13);
        putBody = ("{\"value\":\"" + value + "\"}").getBytes(StandardCharsets.UTF_8);
        stored = value.getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public byte[] streamingParsePut() throws IOException {
        try (JsonParser p = FACTORY.createParser(new ByteArrayInputStream(putBody))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            String found = null;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (!"value".equals(p.currentName()) || p.nextToken() != JsonToken.VALUE_STRING || found != null) {
                    throw new IllegalArgumentException("expected one string field \"value\"");
                }
                found = p.getText();
            }
            if (p.nextToken() != null || found == null) {
                throw new IllegalArgumentException("expected exactly {\"value\": \"...\"}");
            }
            return found.getBytes(StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    public byte[] streamingRenderGet() throws IOException {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("value", new String(stored, StandardCharsets.UTF_8));
            g.writeNumberField("revision", 1234);
            g.writeNumberField("createRevision", 17);
            g.writeNumberField("version", 3);
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        }
    }

    @Benchmark
    public byte[] treeParsePut() throws IOException {
        JsonNode body = MAPPER.readTree(putBody);
        if (body == null || !body.isObject() || body.size() != 1) {
            throw new IllegalArgumentException("expected {\"value\": \"...\"}");
        }
        JsonNode v = body.get("value");
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("\"value\" must be a JSON string");
        }
        return v.textValue().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public byte[] treeRenderGet() throws IOException {
        return MAPPER.writeValueAsBytes(new GetResponse(new String(stored, StandardCharsets.UTF_8), 1234, 17, 3));
    }
}
