package io.leifdb.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.leifdb.server.kv.Utf8;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * A read's JSON answer written while its value arrives (CRaft: a coded value gathered stripe by
 * stripe), byte for byte the answer built from the whole value. The value's form comes from the kind
 * its entry recorded: plain text goes out as it comes; text needing escapes is escaped part by part,
 * which is exact because JSON escapes only ASCII bytes and those never occur inside a multi-byte
 * sequence; binary goes out as base64, with up to two bytes carried to the next part.
 */
final class ValueJson {
    /** Where the value's string contents start in an answer: just after {"value":". */
    static final int VALUE_AT = "{\"value\":\"".length();
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private ValueJson() {
    }

    /**
     * Sends 200 and the answer of {@code value}, whose {@link ValueStream#kind()} is known: {@code frame} (the
     * answer of an empty value of that kind) around the value's string contents as they arrive. The body has a
     * Content-Length when the kind gives its length ahead (plain, base64) and is chunked otherwise.
     *
     * @throws IOException once the headers are out, when the value cannot be completed or the client went away
     */
    static void send(ServerResponse res, ValueStream value, byte[] frame) throws IOException {
        Utf8.Kind kind = value.kind();
        if (kind == null || frame.length <= VALUE_AT || frame[VALUE_AT - 1] != '"' || frame[VALUE_AT] != '"') {
            throw new IllegalStateException("no streamed answer for a value of kind " + kind);
        }
        long contents = contentsLength(kind, value.length());
        res.status(Status.OK_200);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        if (contents >= 0) res.header(HeaderNames.CONTENT_LENGTH, Long.toString(frame.length + contents));
        OutputStream out = res.outputStream();
        out.write(frame, 0, VALUE_AT);
        Contents text = new Contents(out, kind);
        value.writeTo(text);
        text.finish();
        out.write(frame, VALUE_AT, frame.length - VALUE_AT);
        out.close();
    }

    /** Bytes of the JSON string contents of a value of {@code n} bytes, or -1 when they depend on its bytes. */
    static long contentsLength(Utf8.Kind kind, int n) {
        return switch (kind) {
            case PLAIN -> n;
            case NOT_UTF8 -> 4L * ((n + 2L) / 3);
            case NEEDS_ESCAPES -> -1;
        };
    }

    /**
     * The contents of a value's JSON string (no quotes), from its bytes written in parts of any size;
     * {@link #finish} after the last. Not thread-safe.
     */
    static final class Contents extends OutputStream {
        private final OutputStream out;
        private final Utf8.Kind kind;
        /** Base64: the bytes of the last part past a whole group of three, 0 to 2 of them. */
        private final byte[] carry = new byte[3];
        private int carried;

        Contents(OutputStream out, Utf8.Kind kind) {
            this.out = out;
            this.kind = kind;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) return;
            switch (kind) {
                case PLAIN -> out.write(b, off, len);
                case NEEDS_ESCAPES -> escaped(b, off, len);
                case NOT_UTF8 -> base64(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        /** Jackson escapes the part as it escapes a whole value (it too cuts long values into segments). */
        private void escaped(byte[] b, int off, int len) throws IOException {
            ByteArrayBuilder quoted = new ByteArrayBuilder(len + (len >> 3) + 8);
            try (JsonGenerator g = Json.FACTORY.createGenerator(quoted)) {
                g.writeUTF8String(b, off, len);
            }
            byte[] s = quoted.toByteArray();
            out.write(s, 1, s.length - 2);
        }

        private void base64(byte[] b, int off, int len) throws IOException {
            if (carried > 0) {
                int take = Math.min(3 - carried, len);
                System.arraycopy(b, off, carry, carried, take);
                carried += take;
                off += take;
                len -= take;
                if (carried < 3) return;
                out.write(BASE64.encode(carry));
                carried = 0;
            }
            int groups = len - len % 3;
            if (groups > 0) {
                ByteBuffer encoded = BASE64.encode(ByteBuffer.wrap(b, off, groups));
                out.write(encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.remaining());
            }
            carried = len - groups;
            System.arraycopy(b, off + groups, carry, 0, carried);
        }

        /** Writes what the last part left: base64's final group, padded. */
        void finish() throws IOException {
            if (carried > 0) out.write(BASE64.encode(Arrays.copyOf(carry, carried)));
            carried = 0;
        }
    }
}
