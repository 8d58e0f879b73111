package io.leifdb.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;

/**
 * What the client retries, and how long it waits in between. A request the node never got, or refused
 * before proposing it (503 {@code no_leader}, {@code not_ready}), is retried whatever it is. A request
 * whose outcome is unknown (no answer after sending it, or 503 {@code unavailable}) is retried only when
 * repeating it cannot apply it twice: a read, or a conditional write, which a second time finds its own
 * first write and fails (a 412 after an unknown attempt is therefore reported as an unknown outcome).
 * Any other write with an unknown outcome is an {@link OutcomeUnknownException} at once.
 */
final class RetryRule {
    /** How repeating a request could go wrong. */
    enum Kind {
        /** Changes nothing: safe to repeat. */
        READ,
        /** A read whose every answer (a 503 too) is the caller's: only a connection failure is retried. */
        PROBE,
        /** A write with If-Match or If-None-Match: a repeat cannot apply it twice. */
        CONDITIONAL_WRITE,
        /** Anything else that changes state: never repeated once it may have been applied. */
        WRITE
    }

    /** Waits between attempts; tests substitute one that does not. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Sleeper sleeper;

    /** {@code maxAttempts} >= 1 (1: no retries); waits double from {@code firstBackoff} up to {@code maxBackoff}. */
    RetryRule(int maxAttempts, Duration firstBackoff, Duration maxBackoff, Sleeper sleeper) {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        this.maxAttempts = maxAttempts;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.sleeper = sleeper;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    /** Waits before a watch reconnects for the {@code n}th time in a row (n >= 1), as before a retry. */
    void pauseBeforeReconnect(int n) throws InterruptedException {
        sleeper.sleep(Duration.ofMillis(Math.min(firstBackoff.toMillis() << Math.min(n - 1, 20), maxBackoff.toMillis())));
    }

    State start(Kind kind) {
        return new State(kind);
    }

    /** One call's attempts so far. */
    final class State {
        private final Kind kind;
        private int attempts = 1;
        /** An earlier attempt may have applied the write. */
        private boolean maybeApplied;

        private State(Kind kind) {
            this.kind = kind;
        }

        /** Whether to send {@code a}'s request again (after waiting); false: {@code a} is the caller's answer. */
        boolean retryAfterAnswer(Transport.Answer a) {
            if (a.status() == 412 && maybeApplied) {
                throw new OutcomeUnknownException(412, "an earlier attempt of this conditional write got no answer,"
                        + " and the retry found the condition false: the earlier attempt may have applied it");
            }
            if (a.status() != 503 || kind == Kind.PROBE) return false;
            JsonNode body = Answers.json(a);
            String code = body == null ? "" : body.path("code").asText();
            LeifException error = Answers.error(a);
            if (code.equals("unavailable")) unknown(503, error);
            Duration wait = retryAfter(a).orElse(backoff());
            if (attempts >= maxAttempts) {
                if (maybeApplied) throw new OutcomeUnknownException(503, error.getMessage());
                return false;
            }
            pause(wait);
            return true;
        }

        /** A request got no answer: wait and retry, or throw what the caller should hear. */
        void failed(Transport.Failure f) {
            if (!f.notSent()) unknown(0, f.error());
            if (attempts >= maxAttempts) {
                if (maybeApplied) throw new OutcomeUnknownException(0, f.error().getMessage());
                throw f.error();
            }
            pause(backoff());
        }

        /** The request may have been applied: a plain write stops here; the rest go on. */
        private void unknown(int status, LeifException error) {
            if (kind == Kind.READ || kind == Kind.PROBE) return;
            if (kind == Kind.WRITE) {
                throw new OutcomeUnknownException(status, error.getMessage()
                        + "; the write may or may not have been applied");
            }
            maybeApplied = true;
        }

        private Duration backoff() {
            long ms = firstBackoff.toMillis() << Math.min(attempts - 1, 20);
            return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
        }

        private Optional<Duration> retryAfter(Transport.Answer a) {
            try {
                return a.headers().firstValue("Retry-After").map(s -> Duration.ofSeconds(Long.parseLong(s.strip())))
                        .map(d -> d.compareTo(maxBackoff) > 0 ? maxBackoff : d);
            } catch (NumberFormatException e) {
                return Optional.empty(); // an HTTP date: our servers never send one
            }
        }

        private void pause(Duration d) {
            attempts++;
            try {
                sleeper.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LeifException(0, "interrupted", "interrupted while waiting to retry");
            }
        }
    }
}
