package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import io.leifdb.server.kv.Utf8;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The byte-level UTF-8 check agrees with the JDK's strict decoder, and the JSON it writes with Jackson's own. */
class Utf8Test {
    private static boolean jdkValid(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void agreesWithTheJdkOnEveryOneAndTwoByteInput() {
        for (int a = 0; a < 256; a++) {
            byte[] one = {(byte) a};
            assertThat(Utf8.scan(one) != Utf8.Kind.NOT_UTF8).as("%02x", a).isEqualTo(jdkValid(one));
            for (int b = 0; b < 256; b++) {
                byte[] two = {(byte) a, (byte) b};
                assertThat(Utf8.scan(two) != Utf8.Kind.NOT_UTF8).as("%02x %02x", a, b).isEqualTo(jdkValid(two));
            }
        }
    }

    @Test
    void agreesWithTheJdkOnRandomLongerInputs() {
        Random r = new Random(42);
        int[] leads = {0x41, 0x7F, 0xC2, 0xDF, 0xE0, 0xE1, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0x80, 0xBF, 0xC0};
        for (int t = 0; t < 300_000; t++) {
            byte[] b = new byte[1 + r.nextInt(6)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (r.nextInt(3) == 0 ? leads[r.nextInt(leads.length)] : 0x80 + r.nextInt(64));
            }
            assertThat(Utf8.scan(b) != Utf8.Kind.NOT_UTF8).as("%s", java.util.HexFormat.of().formatHex(b))
                    .isEqualTo(jdkValid(b));
        }
    }

    @Test
    void writesTheSameJsonAsAStringWouldAndBase64ForOtherBytes() throws IOException {
        String[] texts = {"", "plain ascii", "quote \" and \\ backslash", "tab\tnew\nline\u0001", "ü € 𝄞 日本",
                "a\u007f\u0080\u07ff\u0800\uffff"};
        ObjectMapper json = new ObjectMapper();
        for (String t : texts) {
            byte[] ours = written(t.getBytes(StandardCharsets.UTF_8));
            ByteArrayOutputStream theirs = new ByteArrayOutputStream();
            try (JsonGenerator g = new JsonFactory().createGenerator(theirs)) {
                g.writeStartObject();
                g.writeStringField("value", t);
                g.writeEndObject();
            }
            // Jackson escapes a String's astral characters as surrogate pairs; the stored bytes go out as they are.
            if (t.codePoints().allMatch(Character::isBmpCodePoint)) {
                assertThat(new String(ours, StandardCharsets.UTF_8)).isEqualTo(theirs.toString(StandardCharsets.UTF_8));
            }
            assertThat(json.readTree(ours).path("value").asText()).isEqualTo(t);
        }
        byte[] binary = {(byte) 0xFF, 0, (byte) 0xC0, (byte) 0x80};
        var node = json.readTree(written(binary));
        assertThat(node.path("encoding").asText()).isEqualTo("base64");
        assertThat(java.util.Base64.getDecoder().decode(node.path("value").asText())).isEqualTo(binary);
    }

    private static byte[] written(byte[] value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            Values.write(g, value);
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
