package io.leifdb.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.ProposalDroppedException;
import io.leifdb.raft.ProposalDroppedException.Reason;
import io.leifdb.server.http.RequestRefused;
import io.leifdb.server.http.NotLeaderException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The core's refusals of a membership change, as the API reports them; and transfers seen done. */
class MembershipAdminTest {
    private static RuntimeException translate(Throwable cause) {
        return MembershipAdmin.translate(cause, () -> new NotLeaderException(Optional.of("leader:1")));
    }

    private static String code(Reason reason) {
        return ((RequestRefused) translate(new ProposalDroppedException(reason, "x", 0))).code();
    }

    @Test
    void aSecondChangeWhileOneIsInFlightIsAConflict() {
        RuntimeException r = translate(new ProposalDroppedException(Reason.CHANGE_PENDING, "uncommitted", 0));
        assertThat(r).isInstanceOfSatisfying(RequestRefused.class, m -> {
            assertThat(m.kind()).isEqualTo(RequestRefused.Kind.CONFLICT);
            assertThat(m.code()).isEqualTo("change_in_flight");
        });
    }

    @Test
    void everyReasonHasItsAnswer() {
        assertThat(translate(new ProposalDroppedException(Reason.NOT_LEADER, "x", 0))).isInstanceOf(NotLeaderException.class);
        assertThat(code(Reason.TERM_NOT_COMMITTED)).isEqualTo("new_leader");
        assertThat(code(Reason.RECOVERING)).isEqualTo("new_leader");
        assertThat(code(Reason.TRANSFERRING)).isEqualTo("transferring");
        assertThat(code(Reason.CODED)).isEqualTo("coded");
        assertThat(((RequestRefused) translate(new IllegalArgumentException("two voters"))).code())
                .isEqualTo("invalid_change");
    }

    @Test
    void aTransferIsDoneWhenAnotherMemberLeadsAndFailsAfterItsDeadline() {
        LeaderWatch watch = new LeaderWatch(1, 3, 50);
        CompletableFuture<Long> done = new CompletableFuture<>();
        CompletableFuture<Long> late = new CompletableFuture<>();
        watch.add(done);
        watch.leaderIs(0); // the old leader first steps down with no leader known
        watch.leaderIs(1);
        assertThat(done).isNotDone();
        watch.leaderIs(2);
        assertThat(done).isCompletedWithValue(2L);
        watch.add(late);
        watch.tick();
        watch.tick();
        assertThat(late).isNotDone();
        watch.tick();
        assertThat(late).isCompletedExceptionally();
    }
}
