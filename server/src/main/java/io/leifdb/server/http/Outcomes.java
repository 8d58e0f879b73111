package io.leifdb.server.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Waits for the node's answer on the request's virtual thread and sorts failures into HTTP outcomes. */
final class Outcomes {
    private static final Logger LOG = LoggerFactory.getLogger(Outcomes.class);

    private static final String WRITE_UNKNOWN = "a write may still take effect";
    private static final String READ_UNANSWERED = "a read changes nothing, so it is safe to retry";

    private Outcomes() {
    }

    /** Waits for a write's (or an admin change's) outcome: a timeout leaves it unknown. */
    static <T> T await(CompletableFuture<T> future, Duration timeout) {
        return await(future, timeout, false);
    }

    /** Waits for a read's answer: a timeout changed nothing, so its wording says a retry is safe. */
    static <T> T awaitRead(CompletableFuture<T> future, Duration timeout) {
        return await(future, timeout, true);
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout, boolean read) {
        try {
            return RequestDeadlines.get(future, timeout.toNanos());
        } catch (ExecutionException e) {
            throw translate(e.getCause(), read);
        } catch (TimeoutException e) {
            throw ApiError.unavailable("the node did not answer within " + timeout.toMillis() + " ms; "
                    + (read ? READ_UNANSWERED : "a write may still take effect, so retry it only if it is idempotent"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.unavailable("the request was interrupted; " + (read ? READ_UNANSWERED : WRITE_UNKNOWN));
        }
    }

    /** Known failures keep their meaning; anything else leaves the outcome unknown (503, never 500). */
    private static RuntimeException translate(Throwable cause, boolean read) {
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof NotLeaderException || cause instanceof PreconditionFailedException
                || cause instanceof ApiError || cause instanceof RequestRefused
                || cause instanceof io.leifdb.server.auth.AuthRefusedException) {
            return (RuntimeException) cause;
        }
        if (cause instanceof TimeoutException) {
            return ApiError.unavailable("the node timed out; " + (read ? READ_UNANSWERED : WRITE_UNKNOWN));
        }
        LOG.warn("request failed with an unknown outcome: {}", cause.toString());
        return ApiError.unavailable("the node could not complete the request; " + (read ? READ_UNANSWERED : WRITE_UNKNOWN));
    }
}
