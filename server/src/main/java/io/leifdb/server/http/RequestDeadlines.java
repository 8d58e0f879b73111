package io.leifdb.server.http;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounds a request thread's wait for the node without a timer per request. A timed
 * {@code future.get} parks the virtual thread with a timer on the JDK scheduler's delay thread, and
 * arming it woke that thread on nearly every write (issue 18: two thirds of a context switch per
 * write on the leader). A waiter instead registers here and parks untimed; one sweep every
 * {@link #SWEEP_MILLIS} ends the waits past their deadline, so a wait ends between its timeout and
 * one sweep later.
 */
public final class RequestDeadlines {
    static final long SWEEP_MILLIS = 50;
    /** Completes a waiter's copy when its deadline passed; stackless, one for all. */
    private static final TimeoutException EXPIRED = new TimeoutException("request deadline passed") {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };
    /** The copy each waiter parks on, with the System.nanoTime() at which its wait ends. */
    private static final Map<CompletableFuture<?>, Long> WAITING = new ConcurrentHashMap<>();

    static {
        Thread.ofPlatform().daemon().name("request-deadlines").start(RequestDeadlines::sweepForever);
    }

    private RequestDeadlines() {
    }

    /**
     * {@code future.get(timeout)}: the value, or ExecutionException with the future's failure, or
     * TimeoutException once {@code timeoutNanos} (and at most one sweep more) passed. The future itself
     * is never completed here: the wait is on a copy.
     */
    public static <T> T get(CompletableFuture<T> future, long timeoutNanos)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (future.isDone()) return future.get();
        CompletableFuture<T> copy = future.copy();
        WAITING.put(copy, System.nanoTime() + timeoutNanos);
        try {
            return copy.get();
        } catch (ExecutionException e) {
            if (e.getCause() == EXPIRED) throw new TimeoutException("no answer within " + timeoutNanos + " ns");
            throw e;
        } finally {
            WAITING.remove(copy);
        }
    }

    private static void sweepForever() {
        while (true) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SWEEP_MILLIS));
            long now = System.nanoTime();
            WAITING.forEach((copy, deadline) -> {
                if (now - deadline >= 0) copy.completeExceptionally(EXPIRED);
            });
        }
    }
}
