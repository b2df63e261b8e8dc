package io.slmgen.datasets.analysis;

/**
 * A set of 64-bit hashes for duplicate detection at any dataset size. Open addressing (linear probing)
 * in 256 independently growing segments, so growing never copies more than 1/256 of the set at once.
 * Memory: 8 bytes per slot at a load factor between 0.35 and 0.7, i.e. about 11–23 bytes per distinct
 * example (≈ 16 on average): 1 M examples ≈ 16 MiB, 10 M examples ≈ 160 MiB.
 */
final class LongHashSet {

    private static final int SEGMENTS = 256;
    private final long[][] tables = new long[SEGMENTS][];
    private final int[] sizes = new int[SEGMENTS];
    private boolean hasZero;
    private long size;

    LongHashSet() {
        for (int i = 0; i < SEGMENTS; i++) {
            tables[i] = new long[16];
        }
    }

    /** Adds the hash; false if it was already present. */
    boolean add(long h) {
        if (h == 0) {
            if (hasZero) {
                return false;
            }
            hasZero = true;
            size++;
            return true;
        }
        int seg = (int) (h >>> 56);
        long[] t = tables[seg];
        int mask = t.length - 1;
        int i = (int) mix(h) & mask;
        while (true) {
            long v = t[i];
            if (v == 0) {
                t[i] = h;
                size++;
                if (++sizes[seg] * 10L > t.length * 7L) {
                    grow(seg);
                }
                return true;
            }
            if (v == h) {
                return false;
            }
            i = (i + 1) & mask;
        }
    }

    long size() {
        return size;
    }

    private void grow(int seg) {
        long[] old = tables[seg];
        long[] t = new long[old.length * 2];
        int mask = t.length - 1;
        for (long v : old) {
            if (v != 0) {
                int i = (int) mix(v) & mask;
                while (t[i] != 0) {
                    i = (i + 1) & mask;
                }
                t[i] = v;
            }
        }
        tables[seg] = t;
    }

    private static long mix(long h) {
        // the input is already a cryptographic hash; only spread the bits used for the slot
        return h ^ (h >>> 29);
    }
}
