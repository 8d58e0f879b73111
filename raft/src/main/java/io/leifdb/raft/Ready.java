package io.leifdb.raft;

import java.util.List;

/**
 * Everything the driver must do after driving the core, in this order:
 * <ol>
 *   <li>Persist {@code snapshot} (if any), then append {@code entries} (they may replace a
 *       suffix from their first index on), then {@code hardState} (if non-null), and fsync.
 *       Nothing in {@code messages} may leave before this is durable: a vote or an
 *       acknowledgement sent first could be forgotten by a crash (Figure 2).</li>
 *   <li>Send {@code messages}.</li>
 *   <li>Apply {@code committedEntries} to the state machine in order; they are durable on a
 *       quorum. Serve {@code readStates} once the applied index reaches theirs.</li>
 *   <li>Call {@code advance(ready)}.</li>
 * </ol>
 * {@code softState} is null when unchanged.
 */
public record Ready(SoftState softState, HardState hardState, List<Entry> entries, Snapshot snapshot,
                    List<Message> messages, List<Entry> committedEntries, List<ReadState> readStates) {
    public boolean isEmpty() {
        return softState == null && hardState == null && entries.isEmpty() && snapshot == null
                && messages.isEmpty() && committedEntries.isEmpty() && readStates.isEmpty();
    }
}
