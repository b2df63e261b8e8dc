package io.slmgen.datasets.analysis;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * SLMGEN's dataset analysis (SPEC §8.1–8.4) over a byte stream in one pass: feed the bytes as they
 * arrive ({@link #feed}), then {@link #finish}. Memory is bounded by one line (≤ {@code maxLineBytes})
 * plus the duplicate set: one 64-bit hash (the first 8 bytes of a SHA-256) and the index of its first
 * occurrence per distinct example, about 24 bytes per example on average (see {@link LongHashSet}), so
 * the example cap ({@code maxExamples}; {@link TooManyExamplesException} beyond it) bounds it. The same
 * pass finds SLMGEN's duplicate listing ({@link DuplicateListing}), stored with the upload so it is never
 * recomputed. No framework inside; not thread-safe.
 *
 * <p>Duplicate key: SHA-256 over, for each message in order, the role byte, the content's UTF-8 length
 * (4 bytes) and its UTF-8 bytes - unambiguous, unlike SLMGEN's {@code role:content|...} join (which
 * also makes distinct examples collide when contents contain {@code |user:}). Lone surrogates from
 * {@code \\uD800}-style escapes are encoded as 3 bytes, as Python would count them as one code point.
 */
public final class DatasetAnalyser {

    public static final int MIN_EXAMPLES = 50;
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;
    public static final int MAX_INVALID_SAMPLES = 20;
    /** Duplicate indices SLMGEN's /preview/{sid}/duplicates lists. */
    public static final int DUPLICATES_LISTED = 20;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGHS = 0x8080808080808080L;

    private final LineSplitter splitter;
    private final ExampleParser parser = new ExampleParser();
    private final FastExampleParser fast;
    private final byte[] header = new byte[5];
    private char[] chars = new char[256];
    private final MessageDigest sha;
    private final byte[] digestOut = new byte[32];
    private byte[] utf8 = new byte[256];
    private final int maxLineBytes;
    private final long maxExamples;

    private long n;
    private long totalTokens;
    private long singleTurn;
    private long multiTurnStrict; // > 2 non-system messages
    private long withSystem;
    private long dupes;
    private final LongHashSet seen = new LongHashSet();
    private final DuplicateListing duplicateListing = new DuplicateListing(DUPLICATES_LISTED);
    private long emptyReplies;
    private long shortReplies;
    private long assistantMessages;
    private long assistantCodePoints;
    private long mlCodePoints;
    private long mlNonAscii;
    private long jsonReplies;
    private long jsonLikeReplies;
    private final LanguageCounter languages = new LanguageCounter();
    private long invalidLines;
    private long fastExamples;
    private final List<AnalysisResult.InvalidSample> invalidSamples = new ArrayList<>();
    private boolean finished;
    private AnalysisResult result;

    public DatasetAnalyser() {
        this(DEFAULT_MAX_LINE_BYTES);
    }

    public DatasetAnalyser(int maxLineBytes) {
        this(maxLineBytes, Integer.MAX_VALUE);
    }

    /**
     * @param maxExamples valid examples accepted; the next one throws {@link TooManyExamplesException}
     *                    from {@link #feed} (at most {@link Integer#MAX_VALUE})
     */
    public DatasetAnalyser(int maxLineBytes, long maxExamples) {
        this(maxLineBytes, maxExamples, true);
    }

    /** {@code fastPath = false}: every line through {@link ExampleParser} (the reference; for tests). */
    DatasetAnalyser(int maxLineBytes, boolean fastPath) {
        this(maxLineBytes, Integer.MAX_VALUE, fastPath);
    }

    DatasetAnalyser(int maxLineBytes, long maxExamples, boolean fastPath) {
        if (maxExamples < 1) {
            throw new IllegalArgumentException("maxExamples must be at least 1");
        }
        this.maxLineBytes = maxLineBytes;
        this.maxExamples = Math.min(maxExamples, Integer.MAX_VALUE);
        this.fast = fastPath ? new FastExampleParser() : null;
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.splitter = new LineSplitter(maxLineBytes, new LineSplitter.Sink() {
            @Override
            public void line(long lineNumber, byte[] buf, int off, int len) {
                onLine(lineNumber, buf, off, len);
            }

            @Override
            public void overlong(long lineNumber) {
                invalid(lineNumber, "line is longer than " + DatasetAnalyser.this.maxLineBytes + " bytes");
            }
        });
    }

    public void feed(byte[] b, int off, int len) {
        if (finished) {
            throw new IllegalStateException("analysis already finished");
        }
        splitter.feed(b, off, len);
    }

    public void feed(byte[] b) {
        feed(b, 0, b.length);
    }

    public long bytes() {
        return splitter.bytes();
    }

    /** Valid examples so far that the fast path read (the rest went through Jackson); for tests. */
    long fastExamples() {
        return fastExamples;
    }

    /** Valid examples so far. */
    public long examples() {
        return n;
    }

    public AnalysisResult finish() {
        if (finished) {
            return result;
        }
        splitter.finish();
        finished = true;
        result = build();
        return result;
    }

    private void onLine(long no, byte[] b, int off, int len) {
        if (no == 1 && len >= 3 && b[off] == (byte) 0xEF && b[off + 1] == (byte) 0xBB && b[off + 2] == (byte) 0xBF) {
            off += 3; // UTF-8 BOM (we differ from SLMGEN, which loses this line)
            len -= 3;
        }
        int utf8 = Utf8.check(b, off, len);
        if (utf8 == Utf8.INVALID) {
            invalid(no, "line is not valid UTF-8");
            return;
        }
        int s = PyWhitespace.stripStart(b, off, off + len);
        int e = PyWhitespace.stripEnd(b, s, off + len);
        if (s == e) {
            return; // blank lines are skipped, not errors
        }
        if (fast != null && fast.parse(b, s, e - s)) {
            fastExamples++;
            acceptFast(b, utf8 == Utf8.ASCII);
            return;
        }
        if (!parser.parse(b, s, e - s)) {
            invalid(no, parser.reason());
            return;
        }
        accept();
    }

    private void invalid(long line, String reason) {
        invalidLines++;
        if (invalidSamples.size() < MAX_INVALID_SAMPLES) {
            invalidSamples.add(new AnalysisResult.InvalidSample(line, reason));
        }
    }

    private void accept() {
        long index = next();
        boolean first500 = index < 500;
        boolean first200 = index < 200;
        boolean first100 = index < 100;
        boolean hasSystem = false;
        int nonSystem = 0;
        sha.reset();
        int count = parser.messageCount();
        for (int m = 0; m < count; m++) {
            byte role = parser.role(m);
            char[] c = parser.content(m);
            int len = parser.contentLength(m);
            // one pass: UTF-8 for the hash, surrogate pairs and non-ASCII code points
            if (utf8.length < len * 3 + 5) {
                utf8 = new byte[Math.max(len * 3 + 5, utf8.length * 2)];
            }
            byte[] u = utf8;
            int p = 5; // role byte + 4-byte length, filled in below: one digest update per message
            int pairs = 0;
            int nonAscii = 0;
            for (int i = 0; i < len; i++) {
                char ch = c[i];
                if (ch < 0x80) {
                    u[p++] = (byte) ch;
                    continue;
                }
                nonAscii++;
                if (ch < 0x800) {
                    u[p++] = (byte) (0xC0 | (ch >> 6));
                    u[p++] = (byte) (0x80 | (ch & 0x3F));
                } else if (Character.isHighSurrogate(ch) && i + 1 < len && Character.isLowSurrogate(c[i + 1])) {
                    int cp = Character.toCodePoint(ch, c[++i]);
                    pairs++;
                    u[p++] = (byte) (0xF0 | (cp >> 18));
                    u[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    u[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    u[p++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    u[p++] = (byte) (0xE0 | (ch >> 12));
                    u[p++] = (byte) (0x80 | ((ch >> 6) & 0x3F));
                    u[p++] = (byte) (0x80 | (ch & 0x3F));
                }
            }
            int codePoints = len - pairs;
            int bytesLen = p - 5;
            u[0] = role;
            u[1] = (byte) (bytesLen >>> 24);
            u[2] = (byte) (bytesLen >>> 16);
            u[3] = (byte) (bytesLen >>> 8);
            u[4] = (byte) bytesLen;
            sha.update(u, 0, p);

            totalTokens += Math.max(1, codePoints / 4);
            if (role == ExampleParser.ROLE_SYSTEM) {
                hasSystem = true;
            } else {
                nonSystem++;
            }
            if (role == ExampleParser.ROLE_ASSISTANT) {
                assistantMessages++;
                assistantCodePoints += codePoints;
                int s = PyWhitespace.stripStart(c, 0, len);
                int e = PyWhitespace.stripEnd(c, s, len);
                if (s == e) {
                    emptyReplies++;
                } else if (e - s < 10 || Character.codePointCount(c, s, e - s) < 10) {
                    shortReplies++;
                }
                if (first200) {
                    jsonReplies++;
                    if (s < e && (c[s] == '{' || c[s] == '[')) {
                        jsonLikeReplies++;
                    }
                }
            }
            if (first500) {
                mlCodePoints += codePoints;
                mlNonAscii += nonAscii; // a surrogate pair was counted once above
            }
            if (first100) {
                languages.add(c, len);
            }
        }
        countTurnsAndDuplicate(index, hasSystem, nonSystem);
    }

    /**
     * {@link #accept()} for an example read by the fast path: the same counts and the same key, from the
     * contents' UTF-8 bytes (code points = bytes that are not continuation bytes; a lone surrogate is
     * one 3-byte sequence there, so it counts once, as in {@link #accept()}).
     */
    private void acceptFast(byte[] line, boolean asciiLine) {
        long index = next();
        boolean first500 = index < 500;
        boolean first200 = index < 200;
        boolean first100 = index < 100;
        boolean hasSystem = false;
        int nonSystem = 0;
        sha.reset();
        FastExampleParser f = fast;
        int count = f.messageCount();
        byte[] h = header;
        for (int m = 0; m < count; m++) {
            byte role = f.role(m);
            byte[] a = f.contentArray(m, line);
            int off = f.contentStart(m);
            int len = f.contentLength(m);
            h[0] = role;
            h[1] = (byte) (len >>> 24);
            h[2] = (byte) (len >>> 16);
            h[3] = (byte) (len >>> 8);
            h[4] = (byte) len;
            sha.update(h, 0, 5);
            sha.update(a, off, len);

            int high = 0; // bytes >= 0x80
            int cont = 0; // continuation bytes 10xxxxxx
            int i = asciiLine && a == line ? off + len : off; // an ASCII line's own bytes need no counting
            int end = off + len;
            for (; i + 8 <= end; i += 8) {
                long w = (long) LONGS.get(a, i);
                long hb = w & HIGHS;
                if (hb != 0) {
                    high += Long.bitCount(hb);
                    cont += Long.bitCount(hb & ~(w << 1));
                }
            }
            for (; i < end; i++) {
                int x = a[i] & 0xFF;
                if (x >= 0x80) {
                    high++;
                    if (x < 0xC0) {
                        cont++;
                    }
                }
            }
            int codePoints = len - cont;

            totalTokens += Math.max(1, codePoints / 4);
            if (role == ExampleParser.ROLE_SYSTEM) {
                hasSystem = true;
            } else {
                nonSystem++;
            }
            if (role == ExampleParser.ROLE_ASSISTANT) {
                assistantMessages++;
                assistantCodePoints += codePoints;
                int s = PyWhitespace.stripStart(a, off, end);
                int e = PyWhitespace.stripEnd(a, s, end);
                if (s == e) {
                    emptyReplies++;
                } else if (e - s < 40 && codePoints(a, s, e) < 10) {
                    shortReplies++;
                }
                if (first200) {
                    jsonReplies++;
                    if (s < e && (a[s] == '{' || a[s] == '[')) {
                        jsonLikeReplies++;
                    }
                }
            }
            if (first500) {
                mlCodePoints += codePoints;
                mlNonAscii += high - cont; // lead bytes of multi-byte sequences
            }
            if (first100) {
                int n = toChars(a, off, len);
                languages.add(chars, n);
            }
        }
        countTurnsAndDuplicate(index, hasSystem, nonSystem);
    }

    /** The index of the example being accepted; beyond the cap the analysis stops. */
    private long next() {
        if (n >= maxExamples) {
            throw new TooManyExamplesException(maxExamples);
        }
        return n++;
    }

    private static int codePoints(byte[] a, int from, int to) {
        int c = 0;
        for (int i = from; i < to; i++) {
            if ((a[i] & 0xC0) != 0x80) {
                c++;
            }
        }
        return c;
    }

    /**
     * The UTF-16 chars of the fast path's UTF-8 bytes into {@link #chars}: valid UTF-8 except that a
     * lone surrogate is a 3-byte sequence, which becomes that surrogate char again.
     */
    private int toChars(byte[] a, int off, int len) {
        if (chars.length < len) {
            chars = new char[Math.max(len, chars.length * 2)];
        }
        char[] c = chars;
        int n = 0;
        int end = off + len;
        for (int i = off; i < end; ) {
            int x = a[i] & 0xFF;
            if (x < 0x80) {
                c[n++] = (char) x;
                i++;
            } else if (x < 0xE0) {
                c[n++] = (char) (((x & 0x1F) << 6) | (a[i + 1] & 0x3F));
                i += 2;
            } else if (x < 0xF0) {
                c[n++] = (char) (((x & 0x0F) << 12) | ((a[i + 1] & 0x3F) << 6) | (a[i + 2] & 0x3F));
                i += 3;
            } else {
                int cp = ((x & 0x07) << 18) | ((a[i + 1] & 0x3F) << 12) | ((a[i + 2] & 0x3F) << 6) | (a[i + 3] & 0x3F);
                c[n++] = Character.highSurrogate(cp);
                c[n++] = Character.lowSurrogate(cp);
                i += 4;
            }
        }
        return n;
    }

    private AnalysisResult build() {
        List<AnalysisResult.InvalidSample> samples = List.copyOf(invalidSamples);
        if (n < MIN_EXAMPLES) {
            String msg = "Need at least " + MIN_EXAMPLES + " examples for fine-tuning. You only have " + n
                    + ". Maybe try adding more data?";
            return new AnalysisResult(false, msg, splitter.bytes(), splitter.lines(), n, totalTokens, 0, 0, 0,
                    withSystem > 0, 0.0, List.of(), false, 0, false, false, "en", dupes, duplicateListing.examples(),
                    invalidLines, samples);
        }
        int singlePct = (int) ((double) singleTurn / n * 100);
        QualityRules.Quality q = QualityRules.score(n, dupes, emptyReplies, shortReplies, withSystem);
        double mlRatio = mlCodePoints > 0 ? (double) mlNonAscii / mlCodePoints : 0;
        boolean multilingual = mlRatio > 0.1;
        long avgResponse = assistantMessages > 0 ? (long) ((double) assistantCodePoints / assistantMessages) : 0;
        boolean json = (jsonReplies > 0 ? (double) jsonLikeReplies / jsonReplies : 0) > 0.5;
        boolean multiTurn = (double) multiTurnStrict / n > 0.5;
        String language = multilingual ? languages.dominant() : "en";
        return new AnalysisResult(true, null, splitter.bytes(), splitter.lines(), n, totalTokens, totalTokens / n,
                singlePct, 100 - singlePct, withSystem > 0, q.score(), q.issues(), multilingual, avgResponse, json,
                multiTurn, language, dupes, duplicateListing.examples(), invalidLines, samples);
    }

    /** The example's turn shape, then its duplicate key (the digest {@code sha} has been fed) into the set. */
    private void countTurnsAndDuplicate(long index, boolean hasSystem, int nonSystem) {
        if (hasSystem) {
            withSystem++;
        }
        if (nonSystem == 2) {
            singleTurn++;
        } else if (nonSystem > 2) {
            multiTurnStrict++;
        }
        try {
            sha.digest(digestOut, 0, 32);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
        long key = 0;
        for (int i = 0; i < 8; i++) {
            key = (key << 8) | (digestOut[i] & 0xFF);
        }
        int first = seen.putIfAbsent(key, (int) index);
        if (first >= 0) {
            dupes++;
            duplicateListing.add(first, index);
        }
    }
}
