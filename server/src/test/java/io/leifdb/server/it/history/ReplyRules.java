package io.leifdb.server.it.history;

/**
 * How the client reads the server's answers. Only answers that prove the node did not propose
 * the request (a redirect, "no leader", a connection never opened) let the client try another
 * node, since re-sending anything else could apply the same unique value twice. Only a 4xx
 * decided before or instead of the effect (400, 412) is a failure for certain; everything else
 * that is not a success leaves a write's outcome unknown.
 */
public final class ReplyRules {
    /** What the client does after an attempt. */
    public enum Next {
        /** The attempt decided the operation. */
        DONE,
        /** 307: send the same request to the Location the node named. */
        FOLLOW,
        /** Nothing was proposed and no leader was named: try another node after a short pause. */
        RETRY_ELSEWHERE
    }

    /** What the client learned about the operation as a whole. */
    public sealed interface Result {
        /** It took effect; for a read, {@code value} is what it returned (null = absent). */
        record Ok(String value, String etag) implements Result {
        }

        /** It certainly had no effect. */
        record Failed(String why) implements Result {
        }

        /** It may or may not have taken effect. */
        record Unknown(String why) implements Result {
        }
    }

    private ReplyRules() {
    }

    public static Next next(Attempt a) {
        return switch (a) {
            case Attempt.NotSent s -> Next.RETRY_ELSEWHERE;
            case Attempt.Lost l -> Next.DONE;
            case Attempt.Answered r when r.status() == 307 && r.location() != null -> Next.FOLLOW;
            // The node refused before proposing: NotLeaderException with no leader known, or it is still joining.
            case Attempt.Answered r when r.status() == 503 && ("no_leader".equals(r.code()) || "joining".equals(r.code()))
                    -> Next.RETRY_ELSEWHERE;
            case Attempt.Answered r -> Next.DONE;
        };
    }

    /** Classifies an operation by the last attempt of its trail (every earlier one was a certain non-effect). */
    public static Result classify(Request request, Attempt last) {
        if (next(last) != Next.DONE) {
            return new Result.Failed("no node took it: " + last.brief());
        }
        if (!(last instanceof Attempt.Answered a)) {
            return new Result.Unknown(last.brief());
        }
        if (request.isRead()) {
            if (a.status() == 200) return new Result.Ok(a.value(), a.etag());
            if (a.status() == 404 && "not_found".equals(a.code())) return new Result.Ok(null, null);
            return new Result.Unknown(a.brief());
        }
        if (a.status() == 200) return new Result.Ok(request.value(), a.etag());
        if (a.status() == 400) return new Result.Failed(a.brief());
        boolean conditional = request.kind() == Request.Kind.IF_MATCH || request.kind() == Request.Kind.IF_ABSENT;
        // 412 is decided when the entry is applied, in log order: the write was a no-op for certain.
        if (a.status() == 412 && conditional) return new Result.Failed(a.brief());
        return new Result.Unknown(a.brief());
    }
}
