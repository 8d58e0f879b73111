package io.leifdb.raft.driver;

import io.leifdb.raft.Message;

import java.util.List;

/**
 * Hands the core's messages to the network, in order, without blocking the driver. Delivery may
 * fail silently; a snapshot stream reports its end through {@link RaftDriver#snapshotSent}.
 */
public interface Sender {
    void send(List<Message> messages);
}
