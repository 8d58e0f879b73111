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

    private Outcomes() {
    }

    static <T> T await(CompletableFuture<T> future, Duration timeout) {
        try {
            return RequestDeadlines.get(future, timeout.toNanos());
        } catch (ExecutionException e) {
            throw translate(e.getCause());
        } catch (TimeoutException e) {
            throw ApiError.unavailable("the node did not answer within " + timeout.toMillis()
                    + " ms; a write may still take effect, so retry it only if it is idempotent");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.unavailable("the request was interrupted; a write may still take effect");
        }
    }

    /** Known failures keep their meaning; anything else leaves the outcome unknown (503, never 500). */
    static RuntimeException translate(Throwable cause) {
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
            return ApiError.unavailable("the node timed out; a write may still take effect");
        }
        LOG.warn("request failed with an unknown outcome: {}", cause.toString());
        return ApiError.unavailable("the node could not complete the request; a write may still take effect");
    }
}
