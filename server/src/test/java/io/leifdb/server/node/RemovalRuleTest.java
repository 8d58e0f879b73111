package io.leifdb.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.ConfState;
import io.leifdb.server.http.RequestRefused;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When the leader refuses a removal before proposing it, and whom it hands leadership to. */
class RemovalRuleTest {
    private static final ConfState THREE = ConfState.of(Set.of(1L, 2L, 3L));
    private static final Set<Long> ALL_LIVE = Set.of(1L, 2L, 3L);

    private static String code(Optional<RequestRefused> verdict) {
        return verdict.map(RequestRefused::code).orElse("ok");
    }

    @Test
    void anUnknownIdIsNotFound() {
        Optional<RequestRefused> v = RemovalRule.check(THREE, 9, ALL_LIVE, false);
        assertThat(code(v)).isEqualTo("not_a_member");
        assertThat(v.get().kind()).isEqualTo(RequestRefused.Kind.NOT_FOUND);
    }

    @Test
    void aLiveFollowerOfAHealthyClusterMayGo() {
        assertThat(code(RemovalRule.check(THREE, 3, ALL_LIVE, false))).isEqualTo("ok");
    }

    @Test
    void theLastVoterStaysEvenWithForce() {
        ConfState one = ConfState.of(Set.of(1L));
        assertThat(code(RemovalRule.check(one, 1, Set.of(1L), true))).isEqualTo("last_voter");
        assertThat(RemovalRule.check(one, 1, Set.of(1L), true).get().kind())
                .isEqualTo(RequestRefused.Kind.CONFLICT);
    }

    @Test
    void aRemovalThatLeavesTooFewLiveVotersNeedsForce() {
        // 3 is down: removing live 2 leaves {1, 3} with one live voter, and a quorum of two needs both.
        Set<Long> live = Set.of(1L, 2L);
        assertThat(code(RemovalRule.check(THREE, 2, live, false))).isEqualTo("quorum");
        assertThat(code(RemovalRule.check(THREE, 2, live, true))).isEqualTo("ok");
        // Removing the dead member itself is what an operator wants: {1, 2}, both live.
        assertThat(code(RemovalRule.check(THREE, 3, live, false))).isEqualTo("ok");
    }

    @Test
    void fiveMembersWithTwoDownMayLoseADeadOneButNotALiveOne() {
        ConfState five = ConfState.of(Set.of(1L, 2L, 3L, 4L, 5L));
        Set<Long> live = Set.of(1L, 2L, 3L);
        assertThat(code(RemovalRule.check(five, 5, live, false))).isEqualTo("ok"); // {1,2,3,4}: 3 live of 3 needed
        assertThat(code(RemovalRule.check(five, 3, live, false))).isEqualTo("quorum"); // {1,2,4,5}: 2 live of 3
    }

    @Test
    void aLearnerMayAlwaysGo() {
        ConfState withLearner = ConfState.of(Set.of(1L), Set.of(2L));
        assertThat(code(RemovalRule.check(withLearner, 2, Set.of(1L), false))).isEqualTo("ok");
    }

    @Test
    void theSuccessorIsTheLiveVoterWithTheLongestLog() {
        Map<Long, Long> match = Map.of(2L, 40L, 3L, 42L);
        assertThat(RemovalRule.successor(THREE, 1, ALL_LIVE, match)).isEqualTo(3);
        assertThat(RemovalRule.successor(THREE, 1, Set.of(1L, 2L), match)).isEqualTo(2); // 3 is down
        assertThat(RemovalRule.successor(THREE, 1, Set.of(1L), match)).isZero();
        assertThat(RemovalRule.successor(THREE, 1, ALL_LIVE, Map.of(2L, 42L, 3L, 42L))).isEqualTo(2); // lowest id
        ConfState learner3 = ConfState.of(Set.of(1L, 2L), Set.of(3L));
        assertThat(RemovalRule.successor(learner3, 1, Set.of(1L, 2L, 3L), match)).isEqualTo(2);
    }
}
