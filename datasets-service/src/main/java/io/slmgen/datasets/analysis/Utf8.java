package io.slmgen.datasets.analysis;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation as Python's {@code utf-8} codec does it: no overlong forms, no encoded
 * surrogates (U+D800–U+DFFF), nothing above U+10FFFF, no truncated sequences.
 */
public final class Utf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {
    }

    public static boolean isValid(byte[] b, int off, int len) {
        return check(b, off, len) != INVALID;
    }

    static final int INVALID = -1;
    static final int ASCII = 0;
    static final int NON_ASCII = 1;

    /** {@link #INVALID}, {@link #ASCII} (every byte below 0x80) or {@link #NON_ASCII} (valid, with multi-byte sequences). */
    static int check(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        // 32 bytes per step, one branch
        while (i + 32 <= end && (((long) LONGS.get(b, i) | (long) LONGS.get(b, i + 8) | (long) LONGS.get(b, i + 16)
                | (long) LONGS.get(b, i + 24)) & HIGH_BITS) == 0) {
            i += 32;
        }
        while (i + 8 <= end && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
            i += 8;
        }
        while (i < end && b[i] >= 0) {
            i++;
        }
        if (i == end) {
            return ASCII;
        }
        return validFrom(b, i, end) ? NON_ASCII : INVALID;
    }

    private static boolean validFrom(byte[] b, int i, int end) {
        while (i < end) {
            // ASCII fast path, 8 bytes at a time
            while (i + 8 <= end && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
                i += 8;
            }
            if (i >= end) {
                return true;
            }
            int x = b[i] & 0xFF;
            if (x < 0x80) {
                i++;
                continue;
            }
            if (x < 0xC2) {
                return false; // continuation byte or overlong 2-byte lead
            }
            if (x < 0xE0) {
                if (i + 1 >= end || !cont(b[i + 1])) {
                    return false;
                }
                i += 2;
            } else if (x < 0xF0) {
                if (i + 2 >= end) {
                    return false;
                }
                int y = b[i + 1] & 0xFF;
                if (x == 0xE0 ? (y < 0xA0 || y > 0xBF) : x == 0xED ? (y < 0x80 || y > 0x9F) : !cont(b[i + 1])) {
                    return false;
                }
                if (!cont(b[i + 2])) {
                    return false;
                }
                i += 3;
            } else if (x < 0xF5) {
                if (i + 3 >= end) {
                    return false;
                }
                int y = b[i + 1] & 0xFF;
                if (x == 0xF0 ? (y < 0x90 || y > 0xBF) : x == 0xF4 ? (y < 0x80 || y > 0x8F) : !cont(b[i + 1])) {
                    return false;
                }
                if (!cont(b[i + 2]) || !cont(b[i + 3])) {
                    return false;
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean cont(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
