package io.leifdb.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer to a transaction: which branch ran, the revision it committed at, and one result per
 * operation of that branch in order ({@code {"put": {"key", "revision"}}}, {@code {"delete": {"key",
 * "deleted"}}}, {@code {"get": {"key", "found", "value", ...}}}).
 */
public record TxnResult(boolean succeeded, long revision, List<JsonNode> results, JsonNode json) {
    public TxnResult {
        results = List.copyOf(results);
    }

    static TxnResult of(JsonNode json) {
        List<JsonNode> results = new ArrayList<>();
        json.path("results").forEach(results::add);
        return new TxnResult(json.path("succeeded").asBoolean(), json.path("revision").asLong(), results, json);
    }
}
