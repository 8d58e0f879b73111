package io.leifdb.server.kv;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a key listing, in UTF-8 byte order. {@code next} is the cursor to pass as
 * {@code after} for the following page; empty when this page is the last.
 */
public record Page(List<KeyValue> items, Optional<String> next) {
    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(next, "next");
    }
}
