package io.leifdb.client;

/** Receives a watch's changes, in revision order, on the watch's own thread; keep each call short. */
@FunctionalInterface
public interface WatchListener {
    void onEvent(WatchEvent event);

    /**
     * The watch ended and will not resume: {@link Watch#close()} was called (null), the history it needed was
     * compacted ({@link HistoryCompactedException}: re-read, then watch again), or no member could be reached.
     */
    default void onEnd(LeifException why) {
    }
}
