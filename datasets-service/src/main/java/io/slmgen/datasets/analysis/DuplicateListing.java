package io.slmgen.datasets.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SLMGEN's duplicate listing (its /preview/{sid}/duplicates): every occurrence of an example after the
 * first is a duplicate; the listing takes groups in order of their first occurrence and keeps the first
 * {@code limit} indices. Fed (first index, index) of each copy in order; keeps at most {@code limit}
 * groups of at most {@code limit} indices, whatever the dataset's size.
 */
public final class DuplicateListing {

    private final int limit;
    /** first index → later indices, for the groups with the smallest first indices only. */
    private final TreeMap<Long, List<Long>> groups = new TreeMap<>();
    private long count;
    /** The largest first index among the listed groups. */
    private long lastFirst;

    public DuplicateListing(int limit) {
        this.limit = limit;
    }

    /** The example at {@code index} is a copy of the one at {@code first}. */
    public void add(long first, long index) {
        count++;
        if (groups.size() >= limit && first > lastFirst) {
            return; // a group after the first `limit` ones can never be listed
        }
        List<Long> later = groups.get(first);
        if (later == null) {
            later = new ArrayList<>();
            groups.put(first, later);
            if (groups.size() > limit) {
                groups.pollLastEntry();
            }
            lastFirst = groups.lastKey();
        }
        if (later.size() < limit) {
            later.add(index);
        }
    }

    /** Σ(count − 1) over the groups: SPEC §8.3's dupes. */
    public long count() {
        return count;
    }

    /** The first {@code limit} duplicate indices, groups in order of first occurrence. */
    public List<Long> examples() {
        List<Long> out = new ArrayList<>(limit);
        for (Map.Entry<Long, List<Long>> g : groups.entrySet()) {
            for (Long i : g.getValue()) {
                if (out.size() == limit) {
                    return out;
                }
                out.add(i);
            }
        }
        return out;
    }
}
