package io.leifdb.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.server.node.FreshStartRule.Bootstrap;
import io.leifdb.server.node.FreshStartRule.CatchUp;
import io.leifdb.server.node.FreshStartRule.Decision;
import io.leifdb.server.node.FreshStartRule.Wait;
import io.leifdb.server.transport.Holdings;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The rules a member with an empty data directory applies to the other members' answers (issue 12). */
class FreshStartRuleTest {
    private static final Holdings EMPTY = Holdings.NONE;

    private static Set<Long> members(int n) {
        return LongStream.rangeClosed(1, n).boxed().collect(Collectors.toSet());
    }

    private static Holdings data(long term, long lastIndex) {
        return new Holdings(term, lastIndex);
    }

    @Test
    void aOneMemberClusterBootstrapsAtOnce() {
        assertThat(FreshStartRule.decide(members(1), 1, Map.of())).isInstanceOf(Bootstrap.class);
    }

    @Test
    void threeMembers_oneOtherEmptyAnswerMakesTwoEmptyOfThree_soNothingWasCommitted() {
        assertThat(FreshStartRule.decide(members(3), 1, Map.of(2L, EMPTY))).isInstanceOf(Bootstrap.class);
    }

    @Test
    void threeMembers_noAnswerYet_waitsForBothOthers() {
        Decision d = FreshStartRule.decide(members(3), 1, Map.of());
        assertThat(d).isEqualTo(new Wait(Set.of(2L, 3L)));
    }

    @Test
    void anyOtherHoldingData_meansThisMemberWasWiped_andTheFloorIsTheHighestTermOfEnoughOthers() {
        Decision d = FreshStartRule.decide(members(3), 1, Map.of(2L, data(7, 120), 3L, data(9, 118)));
        assertThat(d).isEqualTo(new CatchUp(9));
    }

    @Test
    void dataWinsOverEmptyAnswers_evenWhenEnoughEmptiesWouldBootstrap() {
        // Five members: us and two empty ones make n - q + 1 = 3, but member 4 holds a log.
        Decision d = FreshStartRule.decide(members(5), 1, Map.of(2L, EMPTY, 3L, EMPTY, 4L, data(3, 10)));
        assertThat(d).isEqualTo(new CatchUp(3));
    }

    @Test
    void aTermAloneCountsAsData_aMemberThatCampaignedHasTakenPart() {
        Decision d = FreshStartRule.decide(members(3), 1, Map.of(2L, data(4, 0), 3L, EMPTY));
        assertThat(d).isEqualTo(new CatchUp(4));
    }

    @Test
    void theFloorWaitsForNMinusQPlusOneOtherAnswers() {
        // Three members: n - q + 1 = 2 others, so one answer holding data is not enough.
        assertThat(FreshStartRule.decide(members(3), 1, Map.of(2L, data(5, 40)))).isEqualTo(new Wait(Set.of(3L)));
        // Five members: 3 others needed.
        assertThat(FreshStartRule.decide(members(5), 1, Map.of(2L, data(5, 40), 3L, data(6, 41))))
                .isEqualTo(new Wait(Set.of(4L, 5L)));
        assertThat(FreshStartRule.decide(members(5), 1, Map.of(2L, data(5, 40), 3L, data(6, 41), 5L, EMPTY)))
                .isEqualTo(new CatchUp(6));
    }

    @Test
    void fiveMembers_twoEmptyAnswersAreNotEnoughToBootstrap_threeAre() {
        // Us and one empty other could still leave a majority of 3 that committed without us.
        assertThat(FreshStartRule.decide(members(5), 1, Map.of(2L, EMPTY))).isEqualTo(new Wait(Set.of(3L, 4L, 5L)));
        assertThat(FreshStartRule.decide(members(5), 1, Map.of(2L, EMPTY, 3L, EMPTY))).isInstanceOf(Bootstrap.class);
    }

    @Test
    void fourMembers_needTwoOtherEmptiesAndTwoOthersForTheFloor() {
        // n = 4, q = 3, n - q + 1 = 2.
        assertThat(FreshStartRule.decide(members(4), 1, Map.of(2L, EMPTY))).isInstanceOf(Bootstrap.class);
        assertThat(FreshStartRule.decide(members(4), 1, Map.of(2L, data(2, 5)))).isEqualTo(new Wait(Set.of(3L, 4L)));
        assertThat(FreshStartRule.decide(members(4), 1, Map.of(2L, data(2, 5), 4L, data(3, 6))))
                .isEqualTo(new CatchUp(3));
    }

    @Test
    void answersFromUsOrFromStrangersAreIgnored() {
        Decision d = FreshStartRule.decide(members(3), 1, Map.of(1L, EMPTY, 42L, data(99, 99)));
        assertThat(d).isEqualTo(new Wait(Set.of(2L, 3L)));
    }
}
