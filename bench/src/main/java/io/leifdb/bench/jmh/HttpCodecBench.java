package io.leifdb.bench.jmh;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The JSON work of one HTTP request: parsing a PUT body {"value":"<256 chars>"} and rendering a
 * GET response {"value":..., "revision":..., "createRevision":..., "version":...}.
 *
 * <p>The HTTP layer keeps its JSON helper package-private, so this measures the same shapes two
 * ways with Jackson directly: {@code tree*} with one shared ObjectMapper (readTree and
 * writeValueAsBytes of a record, the databind path), and {@code streaming*} with the
 * JsonParser/JsonGenerator token path the handlers use, checks included (an object, only "value",
 * a string, nothing after it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HttpCodecBench {
    static final int VALUE_CHARS = 256;
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    /** The GET response body, for the databind path. */
    public record GetResponse(String value, long revision, long createRevision, long version) {
    }

    private byte[] putBody;
    private String value;

    @Setup(Level.Trial)
    public void setUp() {
        value = Payloads.text(VALUE_CHARS, 13);
        putBody = ("{\"value\":\"" + value + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public String treeParsePut() throws IOException {
        JsonNode body = MAPPER.readTree(putBody);
        if (body == null || !body.isObject() || body.size() != 1) {
            throw new IllegalArgumentException("expected {\"value\": \"...\"}");
        }
        JsonNode v = body.get("value");
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("\"value\" must be a JSON string");
        }
        return v.textValue();
    }

    @Benchmark
    public byte[] treeRenderGet() throws IOException {
        return MAPPER.writeValueAsBytes(new GetResponse(value, 1234, 17, 3));
    }

    @Benchmark
    public String streamingParsePut() throws IOException {
        try (JsonParser p = FACTORY.createParser(putBody)) {
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
            return found;
        }
    }

    @Benchmark
    public byte[] streamingRenderGet() throws IOException {
        ByteArrayBuilder out = new ByteArrayBuilder(VALUE_CHARS + 96);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("value", value);
            g.writeNumberField("revision", 1234);
            g.writeNumberField("createRevision", 17);
            g.writeNumberField("version", 3);
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
