package io.leifdb.server.config;

/** LEIFDB_MODE: one node on its own, or a member of a cluster. */
public enum Mode {
    SINGLE, MULTI
}
