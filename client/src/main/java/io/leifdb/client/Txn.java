package io.leifdb.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A transaction for {@code POST /txn}, built in the order the server reads it: every compare must hold
 * for the success operations to run, otherwise the failure ones run; all of it is one atomic Raft entry.
 * <pre>{@code
 * Txn t = Txn.create().compareValue("a", "==", "100").onSuccess().put("a", "50").delete("c")
 *         .onFailure().get("a");
 * }</pre>
 * Not thread-safe; build it on one thread, then send it as often as you like.
 */
public final class Txn {
    /** What a compare looks at. */
    public enum Target {
        VALUE("value"), REVISION("revision"), CREATE_REVISION("createRevision"), VERSION("version");

        private final String json;

        Target(String json) {
            this.json = json;
        }
    }

    private final ObjectNode body = Answers.MAPPER.createObjectNode();
    private final ArrayNode compare = body.putArray("compare");
    private final ArrayNode success = body.putArray("success");
    private final ArrayNode failure = body.putArray("failure");
    private ArrayNode ops = success;

    private Txn() {
    }

    public static Txn create() {
        return new Txn();
    }

    /** The key's value compared with {@code value}; {@code op} is one of ==, !=, &lt;, &gt;. */
    public Txn compareValue(String key, String op, String value) {
        compare.addObject().put("key", key).put("target", Target.VALUE.json).put("op", op).put("value", value);
        return this;
    }

    /** A number of the key (its revision, createRevision or version; 0 when absent) compared with {@code n}. */
    public Txn compare(String key, Target target, String op, long n) {
        if (target == Target.VALUE) throw new IllegalArgumentException("compare a value with compareValue");
        compare.addObject().put("key", key).put("target", target.json).put("op", op).put("value", n);
        return this;
    }

    /** The operations that follow run when every compare holds (the default). */
    public Txn onSuccess() {
        ops = success;
        return this;
    }

    /** The operations that follow run when a compare fails. */
    public Txn onFailure() {
        ops = failure;
        return this;
    }

    public Txn put(String key, String value) {
        ops.addObject().putObject("put").put("key", key).put("value", value);
        return this;
    }

    public Txn delete(String key) {
        ops.addObject().putObject("delete").put("key", key);
        return this;
    }

    public Txn get(String key) {
        ops.addObject().putObject("get").put("key", key);
        return this;
    }

    /** The request body, as README.md shows the shape. */
    public String toJson() {
        return body.toString();
    }
}
