package io.leifdb.server.kv;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys of one listing page, in UTF-8 byte order, without their values. {@code prefixes} are the
 * common prefixes a delimiter folded keys into (each once, none without a delimiter). {@code next} is
 * the cursor to pass as {@code after} for the following page; empty when this page is the last.
 */
public record KeyPage(List<String> keys, List<String> prefixes, Optional<String> next) {
    public KeyPage {
        keys = List.copyOf(keys);
        prefixes = List.copyOf(prefixes);
        Objects.requireNonNull(next, "next");
    }

    public KeyPage(List<String> keys, Optional<String> next) {
        this(keys, List.of(), next);
    }
}
