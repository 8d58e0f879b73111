package io.leifdb.client;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One page of a listing: its keys in order, the common prefixes when a delimiter folded them, the cursor
 * for the next page ({@link ListQuery#withAfter}) when there is one, and the listing's total when asked for.
 */
public record Page(List<KeyValue> items, List<String> prefixes, Optional<String> next, OptionalLong count) {
    public Page {
        items = List.copyOf(items);
        prefixes = List.copyOf(prefixes);
    }
}
