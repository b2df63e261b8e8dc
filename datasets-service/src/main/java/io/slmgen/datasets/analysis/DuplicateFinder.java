package io.slmgen.datasets.analysis;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SLMGEN's duplicate listing (its /preview/{sid}/duplicates) with SPEC §8.3's key - the same key as
 * {@link DatasetAnalyser}: SHA-256 over each message's role byte, the content's UTF-8 length (4 bytes)
 * and its UTF-8 bytes, first 8 bytes kept. Every occurrence after the first is a duplicate; the listing
 * takes groups in order of their first occurrence and keeps the first {@code limit} indices. Memory:
 * one (hash, first index) slot per distinct example, plus at most {@code limit} groups of at most
 * {@code limit} indices.
 */
public final class DuplicateFinder {

    private final int limit;
    private final MessageDigest sha;
    private final LongLongMap firstIndex = new LongLongMap();
    /** first index → later indices, for the groups with the smallest first indices only. */
    private final TreeMap<Long, List<Long>> groups = new TreeMap<>();
    private long count;
    private byte[] utf8 = new byte[256];

    public DuplicateFinder(int limit) {
        this.limit = limit;
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Feed valid examples in order. */
    public void add(Example e) {
        long h = key(e.messages());
        long first = firstIndex.putIfAbsent(h, e.index());
        if (first < 0) {
            return;
        }
        count++;
        List<Long> later = groups.get(first);
        if (later == null) {
            if (groups.size() >= limit && first > groups.lastKey()) {
                return; // a group after the first `limit` ones can never be listed
            }
            later = new ArrayList<>();
            groups.put(first, later);
            if (groups.size() > limit) {
                groups.pollLastEntry();
            }
        }
        if (later.size() < limit) {
            later.add(e.index());
        }
    }

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

    long key(List<Example.Message> messages) {
        sha.reset();
        for (Example.Message m : messages) {
            String c = m.content();
            int len = c.length();
            if (utf8.length < len * 3 + 5) {
                utf8 = new byte[Math.max(len * 3 + 5, utf8.length * 2)];
            }
            byte[] u = utf8;
            int p = 5;
            for (int i = 0; i < len; i++) {
                char ch = c.charAt(i);
                if (ch < 0x80) {
                    u[p++] = (byte) ch;
                } else if (ch < 0x800) {
                    u[p++] = (byte) (0xC0 | (ch >> 6));
                    u[p++] = (byte) (0x80 | (ch & 0x3F));
                } else if (Character.isHighSurrogate(ch) && i + 1 < len && Character.isLowSurrogate(c.charAt(i + 1))) {
                    int cp = Character.toCodePoint(ch, c.charAt(++i));
                    u[p++] = (byte) (0xF0 | (cp >> 18));
                    u[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    u[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    u[p++] = (byte) (0x80 | (cp & 0x3F));
                } else { // includes lone surrogates, 3 bytes as the analyser counts them
                    u[p++] = (byte) (0xE0 | (ch >> 12));
                    u[p++] = (byte) (0x80 | ((ch >> 6) & 0x3F));
                    u[p++] = (byte) (0x80 | (ch & 0x3F));
                }
            }
            int bytesLen = p - 5;
            u[0] = (byte) Role.of(m.role()).ordinal();
            u[1] = (byte) (bytesLen >>> 24);
            u[2] = (byte) (bytesLen >>> 16);
            u[3] = (byte) (bytesLen >>> 8);
            u[4] = (byte) bytesLen;
            sha.update(u, 0, p);
        }
        byte[] d = sha.digest();
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (d[i] & 0xFF);
        }
        return h;
    }

    /** Open addressing long → non-negative long (linear probing); 16 bytes a slot. */
    static final class LongLongMap {
        private long[] keys = new long[1024];
        private long[] values = new long[1024];
        private boolean[] used = new boolean[1024];
        private int size;

        /** Stores the value if the key is new and answers -1; else answers the stored value. */
        long putIfAbsent(long key, long value) {
            int mask = keys.length - 1;
            int i = (int) (key ^ (key >>> 29)) & mask;
            while (used[i]) {
                if (keys[i] == key) {
                    return values[i];
                }
                i = (i + 1) & mask;
            }
            used[i] = true;
            keys[i] = key;
            values[i] = value;
            if (++size * 10L > keys.length * 7L) {
                grow();
            }
            return -1;
        }

        private void grow() {
            long[] ok = keys;
            long[] ov = values;
            boolean[] ou = used;
            keys = new long[ok.length * 2];
            values = new long[ok.length * 2];
            used = new boolean[ok.length * 2];
            int mask = keys.length - 1;
            for (int j = 0; j < ok.length; j++) {
                if (ou[j]) {
                    int i = (int) (ok[j] ^ (ok[j] >>> 29)) & mask;
                    while (used[i]) {
                        i = (i + 1) & mask;
                    }
                    used[i] = true;
                    keys[i] = ok[j];
                    values[i] = ov[j];
                }
            }
        }
    }
}
