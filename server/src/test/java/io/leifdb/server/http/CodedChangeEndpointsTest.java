package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ?codingOffFirst=true on a removal or a promotion: the leader runs coding off, storedK 1, the change, coding on. */
class CodedChangeEndpointsTest extends ApiTestBase {

    @BeforeEach
    void codedWithFourVoters() {
        backend.codingNow = new CodingAdmin.Coding(true, 2, 4096, true, 4, 2, 3, 0);
        backend.refuseCodedChanges = true;
        backend.scrubWholeAtOnce = true;
    }

    private HttpResponse<String> promote(String query) {
        return client.send(client.request("/cluster/members/3/promote" + query).POST(HttpRequest.BodyPublishers.noBody()));
    }

    @Test
    void withoutTheOptionTheChangeIsRefusedAsCodedAndNothingChanges() {
        assertError(client.delete("/cluster/members/2"), 409, "coded");
        assertThat(backend.codingChanges).isEmpty();
    }

    @Test
    void aRemovalGoesThroughCodingOffAndStoredKOneAndTurnsCodingOnAgain() {
        HttpResponse<String> r = client.delete("/cluster/members/2?codingOffFirst=true");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = ApiClient.json(r);
        assertThat(body.path("removed").asLong()).isEqualTo(2);
        assertThat(body.path("steps")).extracting(JsonNode::asText).containsExactly(
                "refused: stored values may need 3 distinct shares; turn coding off first",
                "coding turned off; waiting until every value is whole on every voter (storedK 1)",
                "changed: removed member 2 at index 43",
                "coding turned on again");
        assertThat(backend.codingChanges).containsExactly(false, true);
        assertThat(backend.codingNow.on()).isTrue();
        assertThat(backend.codingNow.k()).as("the chosen k stays").isEqualTo(2);
    }

    @Test
    void aPromotionTakesTheSameSteps() {
        backend.status = learnerThree();
        HttpResponse<String> r = promote("?codingOffFirst=true");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(ApiClient.json(r).path("steps")).hasSize(4);
        assertThat(backend.codingChanges).containsExactly(false, true);
    }

    @Test
    void aChangeThatNeedsNoStepsListsNone() {
        backend.refuseCodedChanges = false;
        HttpResponse<String> r = client.delete("/cluster/members/2?codingOffFirst=true");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(ApiClient.json(r).path("steps")).isEmpty();
        assertThat(ApiClient.json(client.delete("/cluster/members/2")).has("steps")).isFalse();
        assertThat(backend.codingChanges).isEmpty();
    }

    @Test
    void aChangeRefusedAfterStoredKOneStillTurnsCodingOnAgain() {
        // Member 3 is a voter already: refused as coded first, then, with storedK 1, as already_voter.
        assertError(promote("?codingOffFirst=true"), 409, "already_voter");
        assertThat(backend.codingChanges).containsExactly(false, true);
        assertThat(backend.codingNow.on()).isTrue();
    }

    @Test
    void aBadFlagIs400() {
        assertError(client.delete("/cluster/members/2?codingOffFirst=maybe"), 400, "bad_codingOffFirst");
    }

    private NodeStatus learnerThree() {
        NodeStatus s = backend.status;
        List<NodeStatus.MemberStatus> members = s.members().stream().map(m -> m.id() != 3 ? m
                : new NodeStatus.MemberStatus(3, m.raftAddress(), m.httpAddress(), "LEARNER", false, 40, 2, 12, true))
                .toList();
        return new NodeStatus(s.id(), s.role(), s.term(), s.leaderId(), s.leaderHttpAddress(), s.commit(), s.applied(),
                s.version(), members, s.replication(), s.k(), s.catchingUp());
    }
}
