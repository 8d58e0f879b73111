package io.leifdb.raft;

public enum Role { FOLLOWER, PRE_CANDIDATE, CANDIDATE, LEADER, LEARNER }
