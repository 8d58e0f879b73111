package io.leifdb.server.http;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One page of a listing; {@code next} is the cursor to pass as {@code after} for the next page. */
public record Page(List<KeyValue> items, Optional<String> next) {
    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(next, "next");
    }
}
