package io.slmgen.datasets.analysis;

/**
 * The 64-bit duplicate keys of a dataset, each with the index of the example where it first occurred
 * (so a later copy knows which group it belongs to: SLMGEN's /preview/{sid}/duplicates lists groups in
 * order of first occurrence). Open addressing (linear probing) in 256 independently growing segments,
 * so growing never copies more than 1/256 of the set at once. Memory: 8 bytes of key plus 4 of index per
 * slot at a load factor between 0.35 and 0.7, i.e. about 17–34 bytes per distinct example (≈ 24 on
 * average): 1 M examples ≈ 24 MiB. The index array is written only when a key is new and read only for
 * a copy, so the probe itself touches the key array alone. Indices are ints: an upload holds far fewer
 * examples than 2^31 (datasets.max-examples caps them).
 */
final class LongHashSet {

    private static final int SEGMENTS = 256;
    private final long[][] tables = new long[SEGMENTS][];
    private final int[][] firsts = new int[SEGMENTS][];
    private final int[] sizes = new int[SEGMENTS];
    private boolean hasZero;
    private int zeroFirst;
    private long size;

    LongHashSet() {
        for (int i = 0; i < SEGMENTS; i++) {
            tables[i] = new long[16];
            firsts[i] = new int[16];
        }
    }

    /** Adds the hash first seen at {@code index}: -1 if it is new, else the index it was first seen at. */
    int putIfAbsent(long h, int index) {
        if (h == 0) {
            if (hasZero) {
                return zeroFirst;
            }
            hasZero = true;
            zeroFirst = index;
            size++;
            return -1;
        }
        int seg = (int) (h >>> 56);
        long[] t = tables[seg];
        int mask = t.length - 1;
        int i = (int) mix(h) & mask;
        while (true) {
            long v = t[i];
            if (v == 0) {
                t[i] = h;
                firsts[seg][i] = index;
                size++;
                if (++sizes[seg] * 10L > t.length * 7L) {
                    grow(seg);
                }
                return -1;
            }
            if (v == h) {
                return firsts[seg][i];
            }
            i = (i + 1) & mask;
        }
    }

    long size() {
        return size;
    }

    private void grow(int seg) {
        long[] old = tables[seg];
        int[] oldFirsts = firsts[seg];
        long[] t = new long[old.length * 2];
        int[] f = new int[old.length * 2];
        int mask = t.length - 1;
        for (int j = 0; j < old.length; j++) {
            long v = old[j];
            if (v != 0) {
                int i = (int) mix(v) & mask;
                while (t[i] != 0) {
                    i = (i + 1) & mask;
                }
                t[i] = v;
                f[i] = oldFirsts[j];
            }
        }
        tables[seg] = t;
        firsts[seg] = f;
    }

    private static long mix(long h) {
        // the input is already a cryptographic hash; only spread the bits used for the slot
        return h ^ (h >>> 29);
    }
}
