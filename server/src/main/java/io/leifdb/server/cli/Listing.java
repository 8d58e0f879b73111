package io.leifdb.server.cli;

import io.leifdb.server.http.KeyValue;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One listing page as a client reads it: the items with their values, and the cursor of the next page. */
public record Listing(List<KeyValue> items, Optional<String> next) {
    public Listing {
        items = List.copyOf(items);
        Objects.requireNonNull(next, "next");
    }
}
