package io.leifdb.server.it;

import static io.leifdb.server.it.CodedValues.awaitAll;
import static io.leifdb.server.it.CodedValues.coding;
import static io.leifdb.server.it.CodedValues.awaitCoded;
import static io.leifdb.server.it.CodedValues.value;
import static io.leifdb.server.it.CodedValues.write;
import static io.leifdb.server.it.MemberApi.id;
import static io.leifdb.server.it.MemberApi.memberIds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, part 4, through real processes: voter changes under coding. Five members code with k = 3
 * (storedK 3). Removing one (5 -> 4) is allowed at once, and every value still reads with the leader
 * killed (F' = 1: three voters hold three distinct shares). Removing another (4 -> 3) is refused with
 * 409 coded, also right after coding is turned off; {@code leifdb member remove --coding-off-first} then
 * turns coding off, waits until the repair scrub has stored every value whole and recorded storedK 1
 * (GET /cluster/coding), removes, and turns coding on again, which records N - F of the three voters.
 */
class CraftMembershipIT {
    private static final int KEYS = 24;

    @TempDir
    Path dir;

    private static Http.Response remove(TestCluster c, int node) throws Exception {
        return Http.delete(c.url(c.awaitLeader()) + "/cluster/members/" + id(c, node));
    }

    /** A running voter that does not lead. */
    private static int follower(TestCluster c, int... not) {
        int leader = c.awaitLeader();
        for (int i = 0; i < c.size(); i++) {
            boolean free = i != leader && c.isRunning(i);
            for (int n : not) free &= n != i;
            if (free) return i;
        }
        throw new IllegalStateException("no follower left");
    }

    /** Kills the leader (the one failure the voters tolerate), reads every value from each voter left, restarts it. */
    private static void readWithTheLeaderDown(TestCluster c, Map<String, String> acked, int... removed) throws Exception {
        int leader = c.awaitLeader();
        c.kill9(leader);
        int next = c.awaitLeader(Duration.ofSeconds(30));
        for (int i = 0; i < c.size(); i++) {
            boolean gone = i == leader;
            for (int r : removed) gone |= r == i;
            if (!gone) awaitAll(c, i, acked, i != next);
        }
        c.startNode(leader);
        c.awaitServing(leader);
    }

    /** Once the cluster codes, {@link #KEYS} acknowledged values under {@code prefix}. */
    private static Map<String, String> codedValues(TestCluster c, String prefix, long seed) {
        c.awaitLeader();
        awaitCoded(c);
        Random random = new Random(seed);
        Map<String, String> acked = new LinkedHashMap<>();
        for (int n = 0; n < KEYS; n++) write(c, acked, prefix + n, value(random, prefix + n));
        return acked;
    }

    @Test
    void oneRemovalAtOnceTheNextThroughCodingOffAndTheScrubMakingEveryValueWhole() throws Exception {
        try (TestCluster c = TestCluster.start(5, dir, TestCluster.env("LEIFDB_ERASURE_CODING", "on"))) {
            Map<String, String> acked = codedValues(c, "m/", 14);
            assertThat(coding(c).path("storedK").asInt()).as("k = 3 of 5").isEqualTo(3);

            // 5 -> 4: 3 shares needed, a majority of 4 is 3.
            int first = follower(c);
            Http.Response out = remove(c, first);
            assertThat(out.status()).as(out.body()).isEqualTo(200);
            c.kill9(first);
            assertThat(memberIds(c, c.awaitLeader())).hasSize(4);
            readWithTheLeaderDown(c, acked, first);

            // 4 -> 3: a majority of 3 is 2 < 3.
            int second = follower(c, first);
            Http.Response refused = remove(c, second);
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.json().path("code").asText()).isEqualTo("coded");
            assertThat(refused.json().path("error").asText()).contains("turn coding off");
            Http.Response off = Http.send("PUT", c.url(c.awaitLeader()) + "/cluster/coding", "{\"on\": false}", false,
                    "Content-Type", "application/json");
            assertThat(off.status()).as(off.body()).isEqualTo(200);
            assertThat(off.json().path("storedK").asInt()).as("fragments are still stored").isEqualTo(3);
            Http.Response early = remove(c, second);
            assertThat(early.status()).as("coding off is not enough: " + early.body()).isEqualTo(409);
            Http.Response on = Http.send("PUT", c.url(c.awaitLeader()) + "/cluster/coding", "{\"on\": true}", false,
                    "Content-Type", "application/json");
            assertThat(on.status()).as(on.body()).isEqualTo(200);

            // The CLI takes the way through: coding off, storedK 1 (the scrub stores every value whole), remove, on.
            LeifdbCommand.Outcome through = LeifdbCommand.run(dir.resolve("cli-remove.log"), "member", "remove",
                    String.valueOf(id(c, second)), "--coding-off-first", "--wait", "90", "--url", c.url(c.awaitLeader()));
            assertThat(through.exit()).as(through.output()).isZero();
            assertThat(through.output()).contains("refused: ", "coding turned off", "changed: ", "coding turned on again");
            c.kill9(second);
            assertThat(memberIds(c, c.awaitLeader())).hasSize(3);
            JsonNode after = coding(c);
            assertThat(after.path("on").asBoolean()).isTrue();
            assertThat(after.path("storedK").asInt()).as("coding on: N - F of 3").isEqualTo(2);
            readWithTheLeaderDown(c, acked, first, second);

            LeifdbCommand.Outcome get = LeifdbCommand.run(dir.resolve("cli-coding.log"), "coding", "get", "--url",
                    c.url(c.awaitLeader()));
            assertThat(get.exit()).as(get.output()).isZero();
            assertThat(get.output()).contains("stored values may need 2 distinct shares");
        }
    }

    /**
     * From four coded voters (k = 3, storedK 3) no removal goes at once; {@code ?codingOffFirst=true}, sent
     * to a follower, follows the 307 to the leader, which takes the same steps as the CLI in one call.
     */
    @Test
    void fromFourCodedVotersTheApiRemovesOneInOneCallThroughCodingOffFirst() throws Exception {
        try (TestCluster c = TestCluster.start(4, dir, TestCluster.env("LEIFDB_ERASURE_CODING", "on"))) {
            Map<String, String> acked = codedValues(c, "f/", 4);
            assertThat(coding(c).path("storedK").asInt()).as("k = 3 of 4").isEqualTo(3);

            int gone = follower(c);
            Http.Response refused = remove(c, gone);
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.json().path("code").asText()).isEqualTo("coded");
            long start = System.nanoTime();
            Http.Response through = Http.sendWithin(Duration.ofSeconds(150), "DELETE", c.url(follower(c, gone))
                    + "/cluster/members/" + id(c, gone) + "?codingOffFirst=true", null, true);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(through.status()).as(through.body()).isEqualTo(200);
            assertThat(through.json().path("removed").asLong()).isEqualTo(id(c, gone));
            assertThat(through.json().path("steps").toString()).contains("refused: ", "coding turned off",
                    "changed: removed member", "coding turned on again");
            System.out.println("removal with codingOffFirst from 4 coded voters answered in " + ms + " ms: " + through.body());
            c.kill9(gone);
            assertThat(memberIds(c, c.awaitLeader())).hasSize(3);
            JsonNode after = coding(c);
            assertThat(after.path("on").asBoolean()).isTrue();
            assertThat(after.path("storedK").asInt()).as("coding on: N - F of 3").isEqualTo(2);
            readWithTheLeaderDown(c, acked, gone);
        }
    }
}
