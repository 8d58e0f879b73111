package io.leifdb.server.http;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys of one listing page; values are fetched one at a time while the page streams, so a page
 * never sits in memory whole. {@code next} is the cursor to pass as {@code after} for the next page.
 */
public record Page(List<String> keys, Optional<String> next) {
    public Page {
        keys = List.copyOf(keys);
        Objects.requireNonNull(next, "next");
    }
}
