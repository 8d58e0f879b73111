package io.leifdb.server.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live watchers of one store. {@link #publish} runs on the applying thread after each apply batch
 * is written; it never blocks: a watcher whose buffer is full is ended ({@link Watcher.End#OVERFLOW}).
 */
final class WatchHub {
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();

    void add(Watcher w) {
        watchers.add(w);
    }

    void remove(Watcher w) {
        watchers.remove(w);
    }

    int size() {
        return watchers.size();
    }

    /** Hands each watcher the changes it matches, one revision at a time; {@code changes} are in revision order. */
    void publish(List<Change> changes) {
        if (changes.isEmpty() || watchers.isEmpty()) return;
        for (Watcher w : watchers) {
            // Most watchers match none of a batch: allocate only for one that does.
            List<Change> group = null;
            long revision = -1;
            for (Change c : changes) {
                if (!w.matches(c.key())) continue;
                if (group != null && c.revision() != revision) {
                    w.offer(group);
                    group = null;
                }
                if (group == null) {
                    group = new ArrayList<>(2);
                    revision = c.revision();
                }
                group.add(c);
            }
            if (group != null) w.offer(group);
        }
    }

    /** Ends every watcher (a snapshot replaced the history, or the store closes). */
    void endAll(Watcher.End why) {
        for (Watcher w : watchers) {
            w.end(why);
        }
        watchers.clear();
    }
}
