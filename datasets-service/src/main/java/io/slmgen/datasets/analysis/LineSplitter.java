package io.slmgen.datasets.analysis;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Splits a byte stream into physical lines as Python's universal newlines do (SPEC §8.1): a line ends
 * at {@code \n}, {@code \r\n} or a lone {@code \r}; a last line without terminator still counts; line
 * numbers start at 1. Bytes arrive in arbitrary chunks ({@link #feed}); a line that lies inside one
 * chunk is handed over without copying, only a line spanning chunks is assembled in a buffer. A line
 * longer than {@code maxLineBytes} is never buffered: its bytes are dropped and it is reported through
 * {@link Sink#overlong}. Memory: one buffer of at most {@code maxLineBytes}.
 */
public final class LineSplitter {

    /** Receives lines. The bytes are only valid during the call. */
    public interface Sink {
        void line(long lineNumber, byte[] buf, int off, int len);

        void overlong(long lineNumber);
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int maxLineBytes;
    private final Sink sink;
    private byte[] pending = new byte[256];
    private int pendingLen;
    private boolean pendingOverlong;
    private boolean afterCr;
    private long lineNumber;
    private long bytes;

    public LineSplitter(int maxLineBytes, Sink sink) {
        this.maxLineBytes = maxLineBytes;
        this.sink = sink;
    }

    public void feed(byte[] b, int off, int len) {
        if (len <= 0) {
            return;
        }
        bytes += len;
        int end = off + len;
        int i = off;
        if (afterCr) {
            afterCr = false;
            if (b[i] == '\n') {
                i++;
            }
        }
        int start = i;
        while (i < end) {
            // skip 16 bytes at a time while none is \n or \r (SWAR zero-byte test), then jump to the first
            // one: the lowest flagged byte is always a true \n or \r
            while (i + 16 <= end) {
                long h0 = newlines((long) LONGS.get(b, i));
                long h1 = newlines((long) LONGS.get(b, i + 8));
                if ((h0 | h1) != 0) {
                    i += h0 != 0 ? Long.numberOfTrailingZeros(h0) >>> 3 : 8 + (Long.numberOfTrailingZeros(h1) >>> 3);
                    break;
                }
                i += 16;
            }
            while (i + 8 <= end) {
                long h = newlines((long) LONGS.get(b, i));
                if (h != 0) {
                    i += Long.numberOfTrailingZeros(h) >>> 3;
                    break;
                }
                i += 8;
            }
            if (i >= end) {
                break;
            }
            byte c = b[i];
            if (c == '\n' || c == '\r') {
                emit(b, start, i - start);
                i++;
                if (c == '\r') {
                    if (i < end) {
                        if (b[i] == '\n') {
                            i++;
                        }
                    } else {
                        afterCr = true;
                    }
                }
                start = i;
            } else {
                i++;
            }
        }
        append(b, start, end - start);
    }

    /** Ends the stream: a last line without terminator is emitted. */
    public void finish() {
        afterCr = false;
        if (pendingLen > 0 || pendingOverlong) {
            emit(pending, 0, 0);
        }
    }

    public long bytes() {
        return bytes;
    }

    public long lines() {
        return lineNumber;
    }

    /** The high bit of each byte of {@code w} (little-endian) that is \n or \r; exact up to the lowest flagged byte. */
    private static long newlines(long w) {
        long n = w ^ 0x0A0A0A0A0A0A0A0AL;
        long r = w ^ 0x0D0D0D0D0D0D0D0DL;
        return ((n - 0x0101010101010101L) & ~n | (r - 0x0101010101010101L) & ~r) & 0x8080808080808080L;
    }

    private void emit(byte[] b, int off, int n) {
        long no = ++lineNumber;
        if (pendingOverlong) {
            pendingOverlong = false;
            pendingLen = 0;
            sink.overlong(no);
            return;
        }
        if (pendingLen == 0) {
            if (n > maxLineBytes) {
                sink.overlong(no);
            } else {
                sink.line(no, b, off, n);
            }
            return;
        }
        if ((long) pendingLen + n > maxLineBytes) {
            pendingLen = 0;
            sink.overlong(no);
            return;
        }
        if (b != pending) {
            ensure(pendingLen + n);
            System.arraycopy(b, off, pending, pendingLen, n);
            pendingLen += n;
        }
        int total = pendingLen;
        pendingLen = 0;
        sink.line(no, pending, 0, total);
        if (pending.length > 65536) {
            pending = new byte[256]; // do not keep a huge buffer after one long line
        }
    }

    private void append(byte[] b, int off, int n) {
        if (n == 0 || pendingOverlong) {
            return;
        }
        if ((long) pendingLen + n > maxLineBytes) {
            pendingOverlong = true;
            pendingLen = 0;
            pending = new byte[256];
            return;
        }
        ensure(pendingLen + n);
        System.arraycopy(b, off, pending, pendingLen, n);
        pendingLen += n;
    }

    private void ensure(int size) {
        if (size > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(size, Math.min(maxLineBytes, pending.length * 2)));
        }
    }
}
