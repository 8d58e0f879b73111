package io.leifdb.server.kv;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys of one listing page, in UTF-8 byte order, without their values. {@code next} is the
 * cursor to pass as {@code after} for the following page; empty when this page is the last.
 */
public record KeyPage(List<String> keys, Optional<String> next) {
    public KeyPage {
        keys = List.copyOf(keys);
        Objects.requireNonNull(next, "next");
    }
}
