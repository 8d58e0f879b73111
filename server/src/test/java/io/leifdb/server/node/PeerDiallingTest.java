package io.leifdb.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.ConfState;
import io.leifdb.server.kv.AddressBook;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Whom a node dials as members come, leave, come back and move (issue 13): the calls the transport gets. */
class PeerDiallingTest {
    private static final long SELF = 1;
    private final List<String> calls = new ArrayList<>();
    private final Map<Long, String> addresses = new HashMap<>(Map.of(2L, "h2:2", 3L, "h3:3", 4L, "h4:4"));
    private final PeerDialling.Dialer dialer = new PeerDialling.Dialer() {
        @Override
        public void dial(long id, String raftAddress) {
            calls.add("dial " + id + " " + raftAddress);
        }

        @Override
        public void hangUp(long id) {
            calls.add("hang up " + id);
        }
    };

    private PeerDialling dialling(Long... atStart) {
        return new PeerDialling(SELF, dialer, id -> Optional.ofNullable(addresses.get(id)), Set.of(atStart));
    }

    private static ConfState voters(Long... ids) {
        return ConfState.of(Set.of(ids));
    }

    private AddressBook book() {
        Map<Long, AddressBook.Addresses> m = new HashMap<>();
        addresses.forEach((id, raft) -> m.put(id, new AddressBook.Addresses(raft, "web-" + raft)));
        m.put(SELF, new AddressBook.Addresses("h1:1", "web-h1:1"));
        return new AddressBook(m);
    }

    @Test
    void aRemovedFollowerIsHungUpOnOnceAndTheBookNeverDialsItAgain() {
        PeerDialling d = dialling(2L, 3L);
        d.membersChanged(voters(1L, 2L, 3L), Set.of());
        assertThat(calls).isEmpty();
        d.membersChanged(voters(1L, 2L), Set.of());
        d.membersChanged(voters(1L, 2L), Set.of());
        assertThat(calls).containsExactly("hang up 3");
        calls.clear();
        d.bookApplied(book()); // the book still lists 3 (removal does not erase it), and 4, a member being added
        assertThat(calls).containsExactlyInAnyOrder("dial 2 h2:2", "dial 4 h4:4");
        assertThat(d.departed(3)).isTrue();
    }

    @Test
    void aLeaderKeepsDiallingARemovedMemberUntilTheCoreStopsReplicatingToIt() {
        PeerDialling d = dialling(2L, 3L);
        d.membersChanged(voters(1L, 2L, 3L), Set.of(2L, 3L));
        d.membersChanged(voters(1L, 2L), Set.of(2L, 3L)); // the removal is appended, not yet committed
        assertThat(calls).isEmpty();
        d.membersChanged(voters(1L, 2L), Set.of(2L)); // committed, last heartbeat sent: the core dropped it
        assertThat(calls).containsExactly("hang up 3");
    }

    @Test
    void aMemberAddedBackIsDialledAgainAtItsAddress() {
        PeerDialling d = dialling(2L, 3L);
        d.membersChanged(voters(1L, 2L, 3L), Set.of());
        d.membersChanged(voters(1L, 2L), Set.of());
        addresses.put(3L, "h3-new:33"); // it came back elsewhere; the book learned that before the change
        d.membersChanged(ConfState.of(Set.of(1L, 2L), Set.of(3L)), Set.of());
        assertThat(calls).containsExactly("hang up 3", "dial 3 h3-new:33");
        assertThat(d.departed(3)).isFalse();
    }

    @Test
    void aChangeThatANewLeaderTruncatesIsUndone() {
        PeerDialling d = dialling(2L, 3L);
        d.membersChanged(voters(1L, 2L, 3L), Set.of());
        d.membersChanged(voters(1L, 2L), Set.of()); // an uncommitted removal in this follower's log
        d.membersChanged(voters(1L, 2L, 3L), Set.of()); // overwritten by the new leader's log
        assertThat(calls).containsExactly("hang up 3", "dial 3 h3:3");
    }

    @Test
    void aMovedMemberIsDialledAtItsNewAddressFromTheBook() {
        PeerDialling d = dialling(2L, 3L);
        d.membersChanged(voters(1L, 2L, 3L), Set.of());
        addresses.put(2L, "h2-moved:22");
        addresses.remove(4L);
        d.bookApplied(book());
        assertThat(calls).containsExactlyInAnyOrder("dial 2 h2-moved:22", "dial 3 h3:3");
    }

    @Test
    void aJoinerWithoutAConfigurationYetHangsUpOnNoOne() {
        PeerDialling d = dialling(2L, 3L);
        d.membersChanged(ConfState.of(Set.of()), Set.of());
        assertThat(calls).isEmpty();
        d.membersChanged(ConfState.of(Set.of(2L, 3L), Set.of(SELF)), Set.of());
        assertThat(calls).isEmpty();
    }

    @Test
    void aMemberRemovedBeforeARestartIsNotDialledAfterIt() {
        PeerDialling d = dialling(2L, 3L, 4L); // the book at start still lists 4
        d.membersChanged(voters(1L, 2L, 3L), Set.of());
        assertThat(calls).containsExactly("hang up 4");
    }
}
