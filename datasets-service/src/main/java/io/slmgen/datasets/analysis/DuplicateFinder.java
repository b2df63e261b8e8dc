package io.slmgen.datasets.analysis;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * SLMGEN's duplicate listing (its /preview/{sid}/duplicates) over examples read back from storage,
 * with SPEC §8.3's key - the same key as {@link DatasetAnalyser}: SHA-256 over each message's role byte,
 * the content's UTF-8 length (4 bytes) and its UTF-8 bytes, first 8 bytes kept. An upload's listing is
 * computed by the analyser and stored with the row; this only serves rows that have none (written
 * through /rest/v1, or before the listing was stored), once. Memory: {@link LongHashSet}'s slot per
 * distinct example among the first {@code maxExamples}, plus {@link DuplicateListing}'s bounded groups.
 */
public final class DuplicateFinder {

    private final MessageDigest sha;
    private final LongHashSet firstIndex = new LongHashSet();
    private final DuplicateListing listing;
    private final long maxExamples;
    private byte[] utf8 = new byte[256];

    public DuplicateFinder(int limit) {
        this(limit, Long.MAX_VALUE);
    }

    /** @param maxExamples examples beyond this many are not looked at (the upload cap) */
    public DuplicateFinder(int limit, long maxExamples) {
        this.listing = new DuplicateListing(limit);
        this.maxExamples = Math.min(maxExamples, Integer.MAX_VALUE);
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Feed valid examples in order; false once {@code maxExamples} were seen (stop feeding). */
    public boolean add(Example e) {
        if (e.index() >= maxExamples) {
            return false;
        }
        long h = key(e.messages());
        int first = firstIndex.putIfAbsent(h, (int) e.index());
        if (first >= 0) {
            listing.add(first, e.index());
        }
        return e.index() + 1 < maxExamples;
    }

    public long count() {
        return listing.count();
    }

    /** The first {@code limit} duplicate indices, groups in order of first occurrence. */
    public List<Long> examples() {
        return listing.examples();
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
}
