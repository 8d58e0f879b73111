package io.leifdb.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * A running {@code GET /watch}: hands each change to its listener and, when the stream breaks or the member
 * ends it (overflow, snapshot, shutdown), watches again from the last change it delivered, on any member,
 * so the listener sees every change once and in order. Ends for good on {@link #close()}, on compaction
 * ({@link HistoryCompactedException}), on a 4xx, or after the client's attempts fail in a row.
 */
public final class Watch implements AutoCloseable {
    private final Transport transport;
    private final RetryRule retry;
    private final String query;
    private final WatchListener listener;
    private final CompletableFuture<LeifException> ended = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile Stream<String> open;

    /** The revision of the last change delivered (or the one the watch started at); -1 before either. */
    private long last;
    /** Whether every change at {@code last} was delivered; if not, {@code deliveredAtLast} holds the keys that were. */
    private boolean lastComplete;
    private final Set<String> deliveredAtLast = new HashSet<>();

    Watch(Transport transport, RetryRule retry, String query, long fromRevision, WatchListener listener) {
        this.transport = transport;
        this.retry = retry;
        this.query = query;
        this.listener = listener;
        this.last = fromRevision;
        this.lastComplete = true;
        this.thread = Thread.ofVirtual().name("leifdb-watch").start(this::run);
    }

    /** Blocks until the watch ends; returns why (null after {@link #close()}). */
    public LeifException awaitEnd() throws InterruptedException {
        try {
            return ended.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Completes with why the watch ended (null after close). */
    CompletableFuture<LeifException> ended() {
        return ended;
    }

    /** The revision of the last change delivered, or the one the watch started at; -1 before either. */
    public synchronized long lastRevision() {
        return last;
    }

    @Override
    public void close() {
        closed = true;
        Stream<String> s = open;
        if (s != null) s.close();
        thread.interrupt(); // the watch's thread ends promptly, tells the listener and completes awaitEnd
    }

    private void run() {
        LeifException why = null;
        int breaks = 0;
        try {
            while (!closed) {
                if (stream()) breaks = 0; // it was serving: a break later starts the count afresh
                if (closed) break;
                if (++breaks > retry.maxAttempts()) {
                    why = new LeifException(0, "watch_broken", "the watch broke " + breaks + " times in a row");
                    break;
                }
                retry.pauseBeforeReconnect(breaks);
            }
        } catch (LeifException e) {
            why = closed ? null : e;
        } catch (InterruptedException e) {
            why = null; // closed
        }
        listener.onEnd(why);
        ended.complete(why);
    }

    /** One connection; true when the member accepted it (a ready event came), false when it failed at once. */
    private boolean stream() {
        Transport.Answer a = transport.send(Transport.Call.get("/watch?" + query + from(), Transport.Target.SEED),
                HttpResponse.BodyHandlers.ofLines());
        if (a.status() != 200) throw Answers.error(a);
        @SuppressWarnings("unchecked")
        Stream<String> lines = (Stream<String>) a.body();
        open = lines;
        boolean ready = false;
        try (lines) {
            String event = "";
            StringBuilder data = new StringBuilder();
            for (Iterator<String> it = lines.iterator(); it.hasNext() && !closed; ) {
                String line = it.next();
                if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                } else if (line.isEmpty() && !data.isEmpty()) {
                    ready |= dispatch(event, data.toString());
                    event = "";
                    data.setLength(0);
                }
            }
        } catch (UncheckedIOException broken) {
            // the member went away or the network broke: reconnect from what was delivered
        } catch (ResumeNow resume) {
            return true;
        } finally {
            open = null;
        }
        return ready;
    }

    /** The member asked the client to watch again: its end event was not final. */
    private static final class ResumeNow extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ResumeNow() {
            super(null, null, false, false);
        }
    }

    /** Handles one event; true for {@code ready}. */
    private boolean dispatch(String event, String json) {
        JsonNode data = Answers.parse(json.getBytes(StandardCharsets.UTF_8));
        if (data == null) throw new LeifException(0, "bad_response", "a watch event that is not JSON: " + json);
        switch (event) {
            case "ready" -> {
                synchronized (this) {
                    if (last < 0) {
                        last = data.path("revision").asLong();
                        lastComplete = true;
                    }
                }
                return true;
            }
            case "put", "delete", "expire" -> deliver(WatchEvent.of(event, data, json));
            case "end" -> {
                if (data.path("code").asText().equals("watch_compacted")) {
                    throw new HistoryCompactedException(0, data.path("error").asText(), 0);
                }
                synchronized (this) { // the member delivered everything up to lastRevision: resume after it
                    long through = data.path("lastRevision").asLong(-1);
                    if (through >= last) {
                        last = through;
                        lastComplete = true;
                    }
                }
                throw new ResumeNow();
            }
            default -> {
                // an event this client does not know yet: newer servers may add some
            }
        }
        return false;
    }

    private void deliver(WatchEvent e) {
        synchronized (this) {
            if (e.revision() < last || (e.revision() == last && (lastComplete || !deliveredAtLast.add(e.key())))) {
                return; // seen before the reconnect
            }
            if (e.revision() > last) {
                last = e.revision();
                lastComplete = false;
                deliveredAtLast.clear();
                deliveredAtLast.add(e.key());
            }
        }
        listener.onEvent(e);
    }

    /**
     * Where to start again: after {@code last} when all of it was seen, else after the revision before it
     * (one transaction's changes share a revision, and the break may have cut them), skipping what was seen.
     */
    private synchronized String from() {
        if (last < 0) return "";
        return "&fromRevision=" + (lastComplete ? last : last - 1);
    }
}
