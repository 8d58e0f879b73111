package io.leifdb.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.nio.charset.StandardCharsets;

/**
 * One change a watch saw: a {@code put}, {@code delete} or {@code expire} (its lease ran out) of {@code key} at {@code revision} (several events
 * share a revision when one transaction made them). A put's {@code value} is null when {@code valueCoded}:
 * under CRaft the member holds only a fragment, so read the key. {@code json} is the event as the server sent it.
 */
public record WatchEvent(String type, String key, byte[] value, long revision, long createRevision, long version,
        boolean valueCoded, String json) {
    public boolean isPut() {
        return type.equals("put");
    }

    public boolean isDelete() {
        return type.equals("delete");
    }

    /** The key was deleted because its lease expired. */
    public boolean isExpire() {
        return type.equals("expire");
    }

    /** The value as UTF-8 text, or null when there is none. */
    public String text() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    static WatchEvent of(String type, JsonNode data, String json) {
        return new WatchEvent(type, data.path("key").asText(), value(data), data.path("revision").asLong(),
                data.path("createRevision").asLong(), data.path("version").asLong(),
                data.path("valueCoded").asBoolean(), json);
    }

    /** A value as the server writes it: text, or base64 with {@code "encoding": "base64"} for other bytes. */
    static byte[] value(JsonNode item) {
        JsonNode v = item.get("value");
        if (v == null || v.isNull()) return null;
        return "base64".equals(item.path("encoding").asText()) ? Base64.getDecoder().decode(v.asText())
                : v.asText().getBytes(StandardCharsets.UTF_8);
    }
}
