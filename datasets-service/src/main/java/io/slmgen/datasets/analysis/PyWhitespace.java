package io.slmgen.datasets.analysis;

/**
 * Python's {@code str.strip()} whitespace (SPEC §8.1): exactly the code points for which
 * {@code str.isspace()} is true - bidirectional class WS/B/S or category Zs. That is
 * U+0009–U+000D, U+001C–U+0020, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F,
 * U+205F and U+3000 (not U+180E, U+200B or U+FEFF). All of them are in the BMP, so a char test is exact.
 */
public final class PyWhitespace {

    private PyWhitespace() {
    }

    public static boolean isSpace(int c) {
        if (c <= 0x20) {
            return (c >= 0x09 && c <= 0x0D) || c >= 0x1C;
        }
        if (c < 0x85) {
            return false;
        }
        return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029
                || c == 0x202F || c == 0x205F || c == 0x3000;
    }

    /** First index in [from, to) that is not whitespace, or {@code to}. */
    public static int stripStart(char[] c, int from, int to) {
        int i = from;
        while (i < to && isSpace(c[i])) {
            i++;
        }
        return i;
    }

    /** End (exclusive) after removing trailing whitespace from [from, to). */
    public static int stripEnd(char[] c, int from, int to) {
        int i = to;
        while (i > from && isSpace(c[i - 1])) {
            i--;
        }
        return i;
    }

    /**
     * Leading whitespace on valid UTF-8: returns the first byte index in [from, to) that does not start
     * a whitespace code point.
     */
    public static int stripStart(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int x = b[i] & 0xFF;
            if (x < 0x80) {
                if (!isSpace(x)) {
                    return i;
                }
                i++;
            } else {
                int n = spaceLength(b, i, to);
                if (n == 0) {
                    return i;
                }
                i += n;
            }
        }
        return i;
    }

    /** End (exclusive) of [from, to) on valid UTF-8 after removing trailing whitespace code points. */
    public static int stripEnd(byte[] b, int from, int to) {
        int e = to;
        while (e > from) {
            int x = b[e - 1] & 0xFF;
            if (x < 0x80) {
                if (!isSpace(x)) {
                    return e;
                }
                e--;
            } else if (e - 2 >= from && (b[e - 2] & 0xFF) == 0xC2 && (x == 0x85 || x == 0xA0)) {
                e -= 2;
            } else if (e - 3 >= from && spaceLength(b, e - 3, e) == 3) {
                e -= 3;
            } else {
                return e;
            }
        }
        return e;
    }

    /** Length in bytes of the non-ASCII whitespace code point starting at {@code i}, or 0. */
    static int spaceLength(byte[] b, int i, int to) {
        int x = b[i] & 0xFF;
        if (x == 0xC2) {
            if (i + 1 < to) {
                int y = b[i + 1] & 0xFF;
                return y == 0x85 || y == 0xA0 ? 2 : 0;
            }
            return 0;
        }
        if (i + 2 >= to) {
            return 0;
        }
        int y = b[i + 1] & 0xFF;
        int z = b[i + 2] & 0xFF;
        switch (x) {
            case 0xE1:
                return y == 0x9A && z == 0x80 ? 3 : 0; // U+1680
            case 0xE2:
                if (y == 0x80) { // U+2000–U+200A, U+2028, U+2029, U+202F
                    return (z >= 0x80 && z <= 0x8A) || z == 0xA8 || z == 0xA9 || z == 0xAF ? 3 : 0;
                }
                return y == 0x81 && z == 0x9F ? 3 : 0; // U+205F
            case 0xE3:
                return y == 0x80 && z == 0x80 ? 3 : 0; // U+3000
            default:
                return 0;
        }
    }
}
