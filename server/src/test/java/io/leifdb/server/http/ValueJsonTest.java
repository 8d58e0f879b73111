package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.server.kv.KeyValue;
import io.leifdb.server.kv.Utf8;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The JSON string contents written part by part equal those Jackson writes for the whole value, for
 * every kind and wherever the parts fall: inside multi-byte characters, between an escaped byte and the
 * next, inside base64 groups, and for every length modulo 3.
 */
class ValueJsonTest {
    private static final String TEXT = "a\"\u00e9\u4e2d\ud83d\ude00\n\\\t\u0001/\u007f~";

    /** The contents of the value's string in the answer built from the whole value. */
    private static byte[] wholeContents(byte[] value) throws IOException {
        try (Json.Body b = Json.body()) {
            b.g.writeStartObject();
            Values.write(b.g, value);
            b.g.writeEndObject();
            byte[] all = b.bytes();
            int end = ValueJson.VALUE_AT;
            while (all[end] != '"') end += all[end] == '\\' ? 2 : 1;
            return java.util.Arrays.copyOfRange(all, ValueJson.VALUE_AT, end);
        }
    }

    private static byte[] streamedContents(byte[] value, List<Integer> cuts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ValueJson.Contents c = new ValueJson.Contents(out, Utf8.scan(value));
        int from = 0;
        for (int cut : cuts) {
            c.write(value, from, cut - from);
            from = cut;
        }
        c.write(value, from, value.length - from);
        c.finish();
        return out.toByteArray();
    }

    private static List<byte[]> values(Random r) {
        List<byte[]> values = new ArrayList<>();
        for (int n = 0; n < 12; n++) {
            values.add(TEXT.repeat(n).getBytes(StandardCharsets.UTF_8));
            values.add("plain text ".repeat(n).getBytes(StandardCharsets.UTF_8));
            byte[] binary = new byte[n * 5 + 1];
            r.nextBytes(binary);
            binary[0] = (byte) 0xFF; // never UTF-8
            values.add(binary);
        }
        return values;
    }

    @Test
    void everySplitIntoTwoOrThreePartsWritesTheWholeValuesContents() throws IOException {
        for (byte[] value : values(new Random(5))) {
            byte[] whole = wholeContents(value);
            Utf8.Kind kind = Utf8.scan(value);
            assertThat(ValueJson.contentsLength(kind, value.length))
                    .isEqualTo(kind == Utf8.Kind.NEEDS_ESCAPES ? -1 : whole.length);
            for (int i = 0; i <= value.length; i++) {
                assertThat(streamedContents(value, List.of(i))).as("cut at %d of %d", i, value.length).isEqualTo(whole);
                for (int j = i; j <= value.length; j += 7) {
                    assertThat(streamedContents(value, List.of(i, j))).isEqualTo(whole);
                }
            }
        }
    }

    @Test
    void largeValuesInPartsOfRandomSizesWriteTheWholeValuesContents() throws IOException {
        Random r = new Random(9);
        byte[] text = TEXT.repeat(20_000).getBytes(StandardCharsets.UTF_8);
        byte[] binary = new byte[200_002];
        r.nextBytes(binary);
        for (byte[] value : List.of(text, binary, "x".repeat(150_001).getBytes(StandardCharsets.US_ASCII))) {
            byte[] whole = wholeContents(value);
            for (int round = 0; round < 5; round++) {
                List<Integer> cuts = new ArrayList<>();
                for (int at = r.nextInt(7); at < value.length; at += 1 + r.nextInt(r.nextBoolean() ? 9 : 70_000)) {
                    cuts.add(at);
                }
                assertThat(streamedContents(value, cuts)).isEqualTo(whole);
            }
        }
    }

    @Test
    void theFrameIsTheAnswerOfAnEmptyValueOfTheKind() throws IOException {
        KeyValue kv = new KeyValue("k", new byte[0], 3, 4, 2);
        for (Utf8.Kind kind : Utf8.Kind.values()) {
            try (Json.Body b = Json.body()) {
                b.g.writeStartObject();
                Values.write(b.g, new byte[0], kind);
                KvHandlers.writeRevisions(b.g, kv);
                b.g.writeEndObject();
                String frame = new String(b.bytes(), StandardCharsets.UTF_8);
                assertThat(frame).startsWith("{\"value\":\"\"");
                assertThat(frame.contains("\"encoding\":\"base64\"")).isEqualTo(kind == Utf8.Kind.NOT_UTF8);
            }
        }
    }
}
