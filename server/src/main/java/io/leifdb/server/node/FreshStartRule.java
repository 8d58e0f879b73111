package io.leifdb.server.node;

import io.leifdb.server.transport.Holdings;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a member with an empty data directory concludes from the other members' answers (n
 * members, q = n / 2 + 1 a majority): a first start of a new cluster, a member that lost its
 * data and must catch up before it votes (raft's {@code CatchUp}), or not enough answers yet.
 * Pure: the asking, waiting and writing are {@link FreshStart}'s.
 */
final class FreshStartRule {
    private FreshStartRule() {
    }

    /** The outcome of one look at the answers. */
    sealed interface Decision {
    }

    /** Nothing can have been committed: start as every member of a new cluster does. */
    record Bootstrap() implements Decision {
    }

    /**
     * Someone holds data: this member was wiped, or the cluster started without it. It starts
     * catching up, at {@code termFloor} written as its term.
     */
    record CatchUp(long termFloor) implements Decision {
    }

    /** Ask again; {@code waitingFor} are the members that have not answered. */
    record Wait(Set<Long> waitingFor) implements Decision {
    }

    /**
     * @param members every configured member's id, this one's included
     * @param self    this member's id
     * @param answers the latest answer of each other member that answered
     */
    static Decision decide(Set<Long> members, long self, Map<Long, Holdings> answers) {
        int n = members.size();
        if (n == 1) return new Bootstrap();
        Map<Long, Holdings> others = new HashMap<>(answers);
        others.keySet().removeIf(id -> id == self || !members.contains(id));
        // n - q + 1 members meet every majority, since q + (n - q + 1) > n.
        int meetsEveryMajority = n - (n / 2 + 1) + 1;
        Set<Long> waitingFor = new TreeSet<>(members);
        waitingFor.remove(self);
        waitingFor.removeAll(others.keySet());
        boolean someoneHoldsData = others.values().stream().anyMatch(Holdings::holdsData);
        if (someoneHoldsData) {
            // The floor needs n - q + 1 others: they meet every majority that counted our lost
            // incarnation (q - 1 others), so no term it helped elect or adopted lies above them.
            if (others.size() < meetsEveryMajority) return new Wait(waitingFor);
            return new CatchUp(others.values().stream().mapToLong(Holdings::term).max().orElseThrow());
        }
        // n - q + 1 empty members, us included, leave at most q - 1 that could hold anything: no
        // majority ever acknowledged an entry, so nothing was committed that we could have lost.
        if (1 + others.size() >= meetsEveryMajority) return new Bootstrap();
        return new Wait(waitingFor);
    }
}
