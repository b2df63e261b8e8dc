package io.slmgen.datasets.analysis;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The analyser's fast path for the common line: a strict JSON scanner over the line's bytes (already
 * checked to be valid UTF-8 and stripped) that extracts the messages of a <em>valid</em> example
 * without building strings or chars. It only answers {@code true} when it is sure that
 * {@link ExampleParser} (Jackson, the reference) would accept the line with exactly the same messages;
 * for anything else - an invalid example, a JSON error, escapes in keys or roles, deep nesting, very
 * long names - it answers {@code false} and the caller falls back to {@link ExampleParser}, which then
 * decides and names the reason. So it never produces an error of its own.
 *
 * <p>Each message's content is handed out as UTF-8 bytes of the decoded string, as the analyser hashes
 * and counts it: a content without escapes is the slice of the line itself; one with escapes is decoded
 * into a scratch buffer, {@code \\uXXXX} surrogate pairs as one 4-byte code point and lone surrogates as
 * 3 bytes (the analyser's encoding of a lone UTF-16 surrogate). Valid until the next {@link #parse}.
 * Not thread-safe.
 */
final class FastExampleParser {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    /** Deeper values are left to Jackson (its limit is far higher; this only bounds our recursion). */
    private static final int MAX_DEPTH = 64;
    /** Longer names are left to Jackson (its own limit on names is 50,000). */
    private static final int MAX_NAME = 1000;
    /** Longer lines are left to Jackson (its own limit on strings is 20 M chars). */
    static final int MAX_LINE = 8 << 20;

    private static final byte[] MESSAGES = {'m', 'e', 's', 's', 'a', 'g', 'e', 's'};
    private static final byte[] ROLE = {'r', 'o', 'l', 'e'};
    private static final byte[] CONTENT = {'c', 'o', 'n', 't', 'e', 'n', 't'};

    private byte[] b;
    private int pos;
    private int end;

    private int count;
    private byte[] role = new byte[8];
    private int[] start = new int[8];
    private int[] length = new int[8];
    private boolean[] decoded = new boolean[8];
    private byte[] scratch = new byte[1024];
    private int scratchLen;

    /** True when the line is a valid example and its messages are available; false: ask Jackson. */
    boolean parse(byte[] buf, int off, int len) {
        if (len > MAX_LINE) {
            return false;
        }
        b = buf;
        pos = off;
        end = off + len;
        count = 0;
        scratchLen = 0;
        boolean ok = root();
        b = null;
        return ok && valid();
    }

    int messageCount() {
        return count;
    }

    byte role(int i) {
        return role[i];
    }

    /** The array holding message i's UTF-8 content: the parsed line or the scratch buffer. */
    byte[] contentArray(int i, byte[] line) {
        return decoded[i] ? scratch : line;
    }

    int contentStart(int i) {
        return start[i];
    }

    int contentLength(int i) {
        return length[i];
    }

    private boolean valid() {
        if (count < 2) {
            return false;
        }
        boolean user = false;
        boolean assistant = false;
        for (int i = 0; i < count; i++) {
            user |= role[i] == ExampleParser.ROLE_USER;
            assistant |= role[i] == ExampleParser.ROLE_ASSISTANT;
        }
        return user && assistant;
    }

    private boolean root() {
        if (pos >= end || b[pos] != '{') {
            return false;
        }
        pos++;
        ws();
        boolean messages = false;
        while (true) {
            if (pos >= end || b[pos] != '"') {
                return false; // includes {} (no messages) and trailing commas
            }
            int k = ++pos;
            if (!plainString()) {
                return false;
            }
            int klen = pos - 1 - k;
            if (!colon()) {
                return false;
            }
            if (klen == 8 && same(k, MESSAGES)) { // a later "messages" replaces an earlier one, as in Jackson/Python
                if (pos < end && b[pos] == '[') {
                    if (!messages()) {
                        return false;
                    }
                    messages = true;
                } else {
                    count = 0;
                    messages = false;
                    if (!skipValue(1)) {
                        return false;
                    }
                }
            } else if (!skipValue(1)) {
                return false;
            }
            ws();
            if (pos >= end) {
                return false;
            }
            byte c = b[pos++];
            if (c == '}') {
                break;
            }
            if (c != ',') {
                return false;
            }
            ws();
        }
        ws();
        return pos == end && messages;
    }

    private boolean messages() {
        if (pos >= end || b[pos] != '[') {
            return false;
        }
        pos++;
        count = 0;
        ws();
        if (pos < end && b[pos] == ']') {
            pos++;
            return true;
        }
        while (true) {
            if (pos >= end || b[pos] != '{') {
                return false;
            }
            pos++;
            if (!message(add())) {
                return false;
            }
            ws();
            if (pos >= end) {
                return false;
            }
            byte c = b[pos++];
            if (c == ']') {
                return true;
            }
            if (c != ',') {
                return false;
            }
            ws();
        }
    }

    /** After the '{' of message i: true only if it is a dict with a known role and a string content. */
    private boolean message(int i) {
        byte r = ExampleParser.ROLE_INVALID;
        boolean content = false;
        ws();
        while (true) {
            if (pos >= end || b[pos] != '"') {
                return false;
            }
            int k = ++pos;
            if (!plainString()) {
                return false;
            }
            int klen = pos - 1 - k;
            if (!colon()) {
                return false;
            }
            if (klen == 4 && same(k, ROLE)) {
                if (pos < end && b[pos] == '"') {
                    int s = ++pos;
                    if (!plainString()) {
                        return false;
                    }
                    r = knownRole(s, pos - 1 - s);
                } else {
                    r = ExampleParser.ROLE_INVALID; // the last "role" wins
                    if (!skipValue(4)) {
                        return false;
                    }
                }
            } else if (klen == 7 && same(k, CONTENT)) {
                if (pos < end && b[pos] == '"') {
                    pos++;
                    if (!content(i)) {
                        return false;
                    }
                    content = true;
                } else {
                    content = false;
                    if (!skipValue(4)) {
                        return false;
                    }
                }
            } else if (!skipValue(4)) {
                return false;
            }
            ws();
            if (pos >= end) {
                return false;
            }
            byte c = b[pos++];
            if (c == '}') {
                break;
            }
            if (c != ',') {
                return false;
            }
            ws();
        }
        role[i] = r;
        return r != ExampleParser.ROLE_INVALID && content;
    }

    private byte knownRole(int s, int n) {
        if (n == 4 && b[s] == 'u' && b[s + 1] == 's' && b[s + 2] == 'e' && b[s + 3] == 'r') {
            return ExampleParser.ROLE_USER;
        }
        if (n == 9 && b[s] == 'a' && b[s + 1] == 's' && b[s + 2] == 's' && b[s + 3] == 'i' && b[s + 4] == 's'
                && b[s + 5] == 't' && b[s + 6] == 'a' && b[s + 7] == 'n' && b[s + 8] == 't') {
            return ExampleParser.ROLE_ASSISTANT;
        }
        if (n == 6 && b[s] == 's' && b[s + 1] == 'y' && b[s + 2] == 's' && b[s + 3] == 't' && b[s + 4] == 'e'
                && b[s + 5] == 'm') {
            return ExampleParser.ROLE_SYSTEM;
        }
        return ExampleParser.ROLE_INVALID;
    }

    private boolean same(int k, byte[] word) {
        for (int j = 0; j < word.length; j++) {
            if (b[k + j] != word[j]) {
                return false;
            }
        }
        return true;
    }

    /** ws ':' ws. */
    private boolean colon() {
        ws();
        if (pos >= end || b[pos] != ':') {
            return false;
        }
        pos++;
        ws();
        return true;
    }

    private void ws() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** Index of the first '"', '\\' or control byte at or after {@code i}, or {@code end}. */
    private int special(int i) {
        byte[] a = b;
        int e = end;
        // 16 bytes per step, one branch; the hit's exact byte from the lowest flagged bit
        while (i + 16 <= e) {
            long h0 = hits((long) LONGS.get(a, i));
            long h1 = hits((long) LONGS.get(a, i + 8));
            if ((h0 | h1) != 0) {
                return h0 != 0 ? i + (Long.numberOfTrailingZeros(h0) >>> 3) : i + 8 + (Long.numberOfTrailingZeros(h1) >>> 3);
            }
            i += 16;
        }
        if (i + 8 <= e) {
            long h = hits((long) LONGS.get(a, i));
            if (h != 0) {
                return i + (Long.numberOfTrailingZeros(h) >>> 3);
            }
            i += 8;
        }
        while (i < e) {
            int c = a[i] & 0xFF;
            if (c == '"' || c == '\\' || c < 0x20) {
                return i;
            }
            i++;
        }
        return e;
    }

    /**
     * The high bit of each byte of {@code w} (little-endian) that is '"', '\\' or below 0x20, exact up to
     * and including the lowest flagged byte (the zero-byte tests may flag bytes above a true hit, never
     * below one), so the lowest set bit marks the first such byte.
     */
    private static long hits(long w) {
        long q = w ^ 0x2222222222222222L;
        long s = w ^ 0x5C5C5C5C5C5C5C5CL;
        return (((q - ONES) & ~q) | ((s - ONES) & ~s) | ((w - 0x2020202020202020L) & ~w)) & HIGHS;
    }

    /** After an opening quote: a string without escapes, at most MAX_NAME bytes; pos after the closing quote. */
    private boolean plainString() {
        int s = pos;
        int i = special(s);
        if (i >= end || b[i] != '"' || i - s > MAX_NAME) {
            return false;
        }
        pos = i + 1;
        return true;
    }

    /** After an opening quote: validates a string with any escapes; pos after the closing quote. */
    private boolean skipString() {
        int i = pos;
        while (true) {
            i = special(i);
            if (i >= end) {
                return false;
            }
            byte c = b[i];
            if (c == '"') {
                pos = i + 1;
                return true;
            }
            if (c != '\\' || i + 1 >= end) {
                return false;
            }
            byte x = b[i + 1];
            if (x == 'u') {
                if (hex4(i + 2) < 0) {
                    return false;
                }
                i += 6;
            } else if (simpleEscape(x) >= 0) {
                i += 2;
            } else {
                return false;
            }
        }
    }

    /** A name inside a skipped object: validated like a string, and at most MAX_NAME bytes. */
    private boolean skipName() {
        int s = pos;
        return skipString() && pos - 1 - s <= MAX_NAME;
    }

    private static int simpleEscape(byte x) {
        switch (x) {
            case '"':
                return '"';
            case '\\':
                return '\\';
            case '/':
                return '/';
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            default:
                return -1;
        }
    }

    /** The value of 4 hex digits at i, or -1. */
    private int hex4(int i) {
        if (i + 4 > end) {
            return -1;
        }
        int v = 0;
        for (int j = i; j < i + 4; j++) {
            int c = b[j];
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                d = c - 'A' + 10;
            } else {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /** After the opening quote of message i's content. */
    private boolean content(int i) {
        int s = pos;
        int q = special(s);
        if (q >= end) {
            return false;
        }
        if (b[q] == '"') {
            decoded[i] = false;
            start[i] = s;
            length[i] = q - s;
            pos = q + 1;
            return true;
        }
        if (b[q] != '\\') {
            return false;
        }
        // escapes: decode into scratch
        int out = scratchLen;
        int from = s;
        int at = q;
        while (true) {
            int n = at - from;
            ensure(out + n + 8);
            System.arraycopy(b, from, scratch, out, n);
            out += n;
            byte c = b[at];
            if (c == '"') {
                pos = at + 1;
                break;
            }
            if (c != '\\' || at + 1 >= end) {
                return false;
            }
            byte x = b[at + 1];
            if (x == 'u') {
                int u = hex4(at + 2);
                if (u < 0) {
                    return false;
                }
                at += 6;
                if (u >= 0xD800 && u <= 0xDBFF && at + 1 < end && b[at] == '\\' && b[at + 1] == 'u') {
                    int lo = hex4(at + 2);
                    if (lo >= 0xDC00 && lo <= 0xDFFF) {
                        int cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                        scratch[out++] = (byte) (0xF0 | (cp >> 18));
                        scratch[out++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                        scratch[out++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                        scratch[out++] = (byte) (0x80 | (cp & 0x3F));
                        at += 6;
                        from = at;
                        at = special(at);
                        if (at >= end) {
                            return false;
                        }
                        continue;
                    }
                }
                if (u < 0x80) {
                    scratch[out++] = (byte) u;
                } else if (u < 0x800) {
                    scratch[out++] = (byte) (0xC0 | (u >> 6));
                    scratch[out++] = (byte) (0x80 | (u & 0x3F));
                } else { // includes lone surrogates, 3 bytes as the analyser counts them
                    scratch[out++] = (byte) (0xE0 | (u >> 12));
                    scratch[out++] = (byte) (0x80 | ((u >> 6) & 0x3F));
                    scratch[out++] = (byte) (0x80 | (u & 0x3F));
                }
            } else {
                int v = simpleEscape(x);
                if (v < 0) {
                    return false;
                }
                scratch[out++] = (byte) v;
                at += 2;
            }
            from = at;
            at = special(at);
            if (at >= end) {
                return false;
            }
        }
        decoded[i] = true;
        start[i] = scratchLen;
        length[i] = out - scratchLen;
        scratchLen = out;
        return true;
    }

    private void ensure(int size) {
        if (size > scratch.length) {
            scratch = java.util.Arrays.copyOf(scratch, Math.max(size, scratch.length * 2));
        }
    }

    /** A strictly valid JSON value at pos, skipped; false when unsure. */
    private boolean skipValue(int depth) {
        if (pos >= end) {
            return false;
        }
        byte c = b[pos];
        switch (c) {
            case '"':
                pos++;
                return skipString();
            case '{':
                if (depth > MAX_DEPTH) {
                    return false;
                }
                pos++;
                ws();
                if (pos < end && b[pos] == '}') {
                    pos++;
                    return true;
                }
                while (true) {
                    if (pos >= end || b[pos] != '"') {
                        return false;
                    }
                    pos++;
                    if (!skipName() || !colon() || !skipValue(depth + 1)) {
                        return false;
                    }
                    ws();
                    if (pos >= end) {
                        return false;
                    }
                    byte x = b[pos++];
                    if (x == '}') {
                        return true;
                    }
                    if (x != ',') {
                        return false;
                    }
                    ws();
                }
            case '[':
                if (depth > MAX_DEPTH) {
                    return false;
                }
                pos++;
                ws();
                if (pos < end && b[pos] == ']') {
                    pos++;
                    return true;
                }
                while (true) {
                    if (!skipValue(depth + 1)) {
                        return false;
                    }
                    ws();
                    if (pos >= end) {
                        return false;
                    }
                    byte x = b[pos++];
                    if (x == ']') {
                        return true;
                    }
                    if (x != ',') {
                        return false;
                    }
                    ws();
                }
            case 't':
                return literal("true");
            case 'f':
                return literal("false");
            case 'n':
                return literal("null");
            default:
                return number();
        }
    }

    private boolean literal(String word) {
        int n = word.length();
        if (end - pos < n) {
            return false;
        }
        for (int j = 0; j < n; j++) {
            if (b[pos + j] != word.charAt(j)) {
                return false;
            }
        }
        pos += n;
        return delimiter(pos);
    }

    /** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? followed by a delimiter. */
    private boolean number() {
        int p = pos;
        if (p < end && b[p] == '-') {
            p++;
        }
        if (p >= end) {
            return false;
        }
        if (b[p] == '0') {
            p++;
        } else if (b[p] >= '1' && b[p] <= '9') {
            p++;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                p++;
            }
        } else {
            return false;
        }
        if (p < end && b[p] == '.') {
            int d = ++p;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                p++;
            }
            if (p == d) {
                return false;
            }
        }
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            if (p < end && (b[p] == '+' || b[p] == '-')) {
                p++;
            }
            int d = p;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                p++;
            }
            if (p == d) {
                return false;
            }
        }
        pos = p;
        return delimiter(p);
    }

    /** What may follow a scalar inside a container (anything else is left to Jackson). */
    private boolean delimiter(int p) {
        if (p >= end) {
            return false;
        }
        byte c = b[p];
        return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private int add() {
        if (count == role.length) {
            int n = count * 2;
            role = java.util.Arrays.copyOf(role, n);
            start = java.util.Arrays.copyOf(start, n);
            length = java.util.Arrays.copyOf(length, n);
            decoded = java.util.Arrays.copyOf(decoded, n);
        }
        return count++;
    }
}
