package io.leifdb.server.http;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A request's bounded wait without a timer per request (issue 18): the answers of future.get(timeout). */
class RequestDeadlinesTest {
    private static final long TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    @Test
    void anAnswerThatArrivesWhileWaitingIsReturned() throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> answer.complete("applied"));
        assertThat(RequestDeadlines.get(answer, TimeUnit.SECONDS.toNanos(10))).isEqualTo("applied");
    }

    @Test
    void aFailureIsTheFuturesOwnCause() {
        CompletableFuture<String> answer = new CompletableFuture<>();
        IOException cause = new IOException("disk gone");
        Thread.ofVirtual().start(() -> answer.completeExceptionally(cause));
        assertThatThrownBy(() -> RequestDeadlines.get(answer, TimeUnit.SECONDS.toNanos(10)))
                .isInstanceOf(ExecutionException.class).cause().isSameAs(cause);
    }

    @Test
    void noAnswerEndsTheWaitAfterTheTimeoutAndAtMostOneSweepLaterWithoutTouchingTheFuture() {
        CompletableFuture<String> never = new CompletableFuture<>();
        long start = System.nanoTime();
        assertThatThrownBy(() -> RequestDeadlines.get(never, TIMEOUT_NANOS)).isInstanceOf(TimeoutException.class);
        long waited = System.nanoTime() - start;
        assertThat(waited).isGreaterThanOrEqualTo(TIMEOUT_NANOS);
        // One sweep late at most, plus a loaded machine's scheduling delay.
        assertThat(waited).isLessThan(TIMEOUT_NANOS + TimeUnit.MILLISECONDS.toNanos(RequestDeadlines.SWEEP_MILLIS + 5_000));
        assertThat(never).isNotDone(); // the node may still complete it; only this wait ended
    }

    @Test
    void aFinishedFutureAnswersAtOnce() throws Exception {
        assertThat(RequestDeadlines.get(CompletableFuture.completedFuture(7), 0)).isEqualTo(7);
    }

    @Test
    void aSweepEndsOnlyTheWaitsPastTheirDeadline() throws Exception {
        CompletableFuture<String> slow = new CompletableFuture<>();
        CompletableFuture<String> fast = new CompletableFuture<>();
        CompletableFuture<Object> slowOutcome = new CompletableFuture<>(); // its answer, or how its wait failed
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                slowOutcome.complete(RequestDeadlines.get(slow, TimeUnit.SECONDS.toNanos(30)));
            } catch (ExecutionException | InterruptedException | TimeoutException e) {
                slowOutcome.complete(e);
            }
        });
        assertThatThrownBy(() -> RequestDeadlines.get(fast, TIMEOUT_NANOS)).isInstanceOf(TimeoutException.class);
        assertThat(slowOutcome).isNotDone();
        slow.complete("in time");
        waiter.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(slowOutcome).isCompletedWithValue("in time");
    }
}
