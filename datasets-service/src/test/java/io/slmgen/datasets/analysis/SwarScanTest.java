package io.slmgen.datasets.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time scans (line splitting, the ASCII/UTF-8 check, the fast parser's search for quotes,
 * backslashes and control bytes) at every offset of the interesting byte relative to the 8/16/32-byte
 * steps, against byte-by-byte references.
 */
class SwarScanTest {

    /** Python's universal newlines, byte by byte. */
    static List<String> naiveLines(byte[] b) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < b.length) {
            if (b[i] == '\n' || b[i] == '\r') {
                out.add(new String(b, start, i - start, StandardCharsets.ISO_8859_1));
                if (b[i] == '\r' && i + 1 < b.length && b[i + 1] == '\n') {
                    i++;
                }
                start = ++i;
            } else {
                i++;
            }
        }
        if (start < b.length) {
            out.add(new String(b, start, b.length - start, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    static List<String> split(byte[] b, int chunk) {
        List<String> out = new ArrayList<>();
        LineSplitter s = new LineSplitter(1 << 20, new LineSplitter.Sink() {
            @Override
            public void line(long no, byte[] buf, int off, int len) {
                assertEquals(out.size() + 1, no);
                out.add(new String(buf, off, len, StandardCharsets.ISO_8859_1));
            }

            @Override
            public void overlong(long no) {
                throw new AssertionError("overlong");
            }
        });
        for (int i = 0; i < b.length; i += chunk) {
            s.feed(b, i, Math.min(chunk, b.length - i));
        }
        s.finish();
        return out;
    }

    @Test
    void lineSplittingFindsEveryTerminatorAtEveryOffset() {
        Random rnd = new Random(7);
        byte[] terms = {'\n', '\r', 0x0B, 0x0C, 0x1A, (byte) 0x8A, (byte) 0x8D, 'a'};
        for (int round = 0; round < 3000; round++) {
            byte[] b = new byte[rnd.nextInt(80)];
            for (int i = 0; i < b.length; i++) {
                b[i] = rnd.nextInt(6) == 0 ? terms[rnd.nextInt(terms.length)] : (byte) ('a' + rnd.nextInt(26));
            }
            List<String> expected = naiveLines(b);
            for (int chunk : new int[] {1, 5, 16, 17, 1 << 10}) {
                assertEquals(expected, split(b, chunk), "round " + round + " chunk " + chunk);
            }
        }
    }

    static int naiveUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
        } catch (CharacterCodingException e) {
            return Utf8.INVALID;
        }
        for (byte x : b) {
            if (x < 0) {
                return Utf8.NON_ASCII;
            }
        }
        return Utf8.ASCII;
    }

    @Test
    void utf8CheckSeesANonAsciiByteAtEveryOffset() {
        byte[][] inserts = {{(byte) 0xC3, (byte) 0xA9}, {(byte) 0xE4, (byte) 0xB8, (byte) 0xAD}, {(byte) 0x80}, {(byte) 0xFF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC3}};
        for (int len = 0; len < 100; len++) {
            byte[] plain = new byte[len];
            java.util.Arrays.fill(plain, (byte) 'x');
            assertEquals(Utf8.ASCII, Utf8.check(plain, 0, len));
            for (byte[] ins : inserts) {
                for (int at = 0; at + ins.length <= len; at++) {
                    byte[] b = plain.clone();
                    System.arraycopy(ins, 0, b, at, ins.length);
                    assertEquals(naiveUtf8(b), Utf8.check(b, 0, len), "len " + len + " at " + at);
                    byte[] shifted = new byte[len + 3];
                    System.arraycopy(b, 0, shifted, 3, len);
                    assertEquals(naiveUtf8(b), Utf8.check(shifted, 3, len), "offset 3, len " + len + " at " + at);
                }
            }
        }
    }

    @Test
    void contentScanFindsQuotesEscapesAndControlBytesAtEveryOffset() {
        String[] specials = {"\\\"", "\\\\", "\\n", "\\u00e9", "\\ud83d\\ude00", "\t", "\u0001", "\"", "\u00e9"};
        StringBuilder file = new StringBuilder();
        for (String sp : specials) {
            for (int at = 0; at <= 40; at++) {
                String content = "\"" + "y".repeat(at) + sp + "z".repeat(40 - at) + "\"";
                file.append(FastPathParityTest.line(content, "\"reply " + "w".repeat(at) + "\"")).append('\n');
            }
        }
        file.append(FastPathParityTest.filler(0, 55));
        byte[] bytes = file.toString().getBytes(StandardCharsets.UTF_8);
        FastPathParityTest.assertSame(bytes);
        // every valid line (all but the raw tab, control byte and quote ones) went through the fast path
        assertEquals(6L * 41 + 55, FastPathParityTest.fastCount(bytes));
    }
}
