package io.slmgen.datasets.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The analyser's byte-level fast path ({@link FastExampleParser} + {@code acceptFast}) against the
 * reference path (every line through Jackson, {@link ExampleParser}): whole analyses must be equal
 * (counts, tokens, duplicates, quality, language, invalid lines and their reasons), for hand-made edge
 * cases, every fixture, every chunking and randomly mutated lines. Some cases also check that the fast
 * path really read the line (so the comparison is not Jackson against Jackson).
 */
class FastPathParityTest {

    static AnalysisResult analyse(byte[] bytes, int chunk, boolean fast) {
        DatasetAnalyser a = new DatasetAnalyser(DatasetAnalyser.DEFAULT_MAX_LINE_BYTES, fast);
        for (int i = 0; i < bytes.length; i += chunk) {
            a.feed(bytes, i, Math.min(chunk, bytes.length - i));
        }
        return a.finish();
    }

    static long fastCount(byte[] bytes) {
        DatasetAnalyser a = new DatasetAnalyser(DatasetAnalyser.DEFAULT_MAX_LINE_BYTES, true);
        a.feed(bytes, 0, bytes.length);
        a.finish();
        return a.fastExamples();
    }

    static void assertSame(byte[] bytes) {
        AnalysisResult ref = analyse(bytes, 1 << 16, false);
        for (int chunk : new int[] {1, 3, 7, 64, 8192, 1 << 16}) {
            assertEquals(ref, analyse(bytes, chunk, true), "chunk " + chunk + " of\n" + new String(bytes, StandardCharsets.UTF_8));
        }
    }

    static String msg(String role, String contentJson) {
        return "{\"role\":\"" + role + "\",\"content\":" + contentJson + "}";
    }

    /** A line with a user message {@code u} and an assistant message {@code a} (JSON string literals). */
    static String line(String u, String a) {
        return "{\"messages\":[" + msg("user", u) + "," + msg("assistant", a) + "]}";
    }

    static String filler(int from, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < from + n; i++) {
            sb.append(line("\"question " + i + "\"", "\"a sufficiently long answer " + i + "\"")).append('\n');
        }
        return sb.toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The line first (so it counts for the first-100/200/500 statistics too), then 60 ordinary lines. */
    static byte[] withFiller(String first) {
        return utf8(first + "\n" + filler(0, 60));
    }

    static final String[] FAST_LINES = {
        // escapes in content, decoded as Jackson does
        line("\"tab\\there \\\"quoted\\\" back\\\\slash \\/ \\b\\f\\r\\n\"", "\"line one\\nline two and more\""),
        line("\"caf\\u00e9 \\u4e2d\\u6587 \\u00E9\"", "\"\\ud83d\\ude00 pair then \\ud83d lone high\""),
        line("\"lone low \\ude00 and \\ud83d\\u0041\"", "\"\\ud83d\\ud83d\\ude00 high high low, done\""),
        line("\"raw emoji \uD83D\uDE00 and \\ud83d\uD83D\uDE00\"", "\"\uD83D\uDE00\\ude00 raw pair then lone low\""),
        line("\"nul \\u0000 char\"", "\"\\u0085\\u00a0 padded by Python whitespace \\u3000\""),
        line("\"q\"", "\"\\u00a0\\u2028 \\t\""), // empty after strip
        line("\"q\"", "\"\\u0085short\\u3000\""), // short after strip
        line("\"q\"", "\"\\u007b\\\"json\\\": true}\""), // json-like through an escape
        line("\"q\"", "\"  [1, 2, 3] with leading spaces\""),
        line("\"日本語のテキストです\"", "\"これは日本語の答えです。ありがとう。\""),
        line("\"Ünïcödé ſtraße ıi\"", "\"der die das ist für mit auf von la los las está\""),
        // duplicate keys: the last one wins
        "{\"messages\": 5, \"messages\":[" + msg("user", "\"u\"") + "," + msg("assistant", "\"long enough answer\"") + "]}",
        "{\"messages\":[{\"role\":\"bogus\",\"role\":\"user\",\"content\":\"u\"},"
                + "{\"content\":1,\"role\":\"assistant\",\"content\":\"the last content wins\"}]}",
        // other fields of every JSON kind, skipped
        "{\"id\": -0, \"w\": 1.5e10, \"x\": [1E+2, -1.0e-5, 0.0, 12, true, false, null, {}, [], {\"a\": {\"b\": [\"\\u0041\"]}}],"
                + " \"messages\" : [ { \"role\" : \"system\" , \"content\" : \"sys\" , \"extra\" : null } ,\t"
                + msg("user", "\"u\"") + " , " + msg("assistant", "\"long enough answer\"") + " ] , \"z\":\"\\\"\" }",
        "{\"messages\":[" + msg("user", "\"a\"") + "," + msg("assistant", "\"b but long enough\"") + ","
                + msg("user", "\"c\"") + "," + msg("assistant", "\"d\"") + "]}",
    };

    @Test
    void edgeCasesTheFastPathReadsGiveTheReferenceResult() {
        for (String l : FAST_LINES) {
            byte[] bytes = withFiller(l);
            assertSame(bytes);
            assertEquals(61, fastCount(bytes), "the fast path should read " + l);
        }
    }

    static final String[] OTHER_LINES = {
        // left to Jackson, valid there
        "{\"messag\\u0065s\":[" + msg("user", "\"u\"") + "," + msg("assistant", "\"long enough answer\"") + "]}",
        "{\"messages\":[{\"rol\\u0065\":\"user\",\"content\":\"u\"}," + msg("assistant", "\"long enough answer\"") + "]}",
        "{\"messages\":[{\"role\":\"\\u0075ser\",\"content\":\"u\"}," + msg("assistant", "\"long enough answer\"") + "]}",
        "\uFEFF" + line("\"bom in the middle\"", "\"Jackson skips it\""),
        "{\"" + "k".repeat(5000) + "\":1," + line("\"u\"", "\"long name before\"").substring(1),
        "{\"deep\":" + "[".repeat(100) + "]".repeat(100) + "," + line("\"u\"", "\"deep nesting\"").substring(1),
        // invalid, with every kind of reason
        "{\"deep\":" + "[".repeat(1100) + "]".repeat(1100) + "}",
        line("\"bad escape \\x41\"", "\"a\""),
        line("\"bad unicode \\u12g4\"", "\"a\""),
        line("\"short unicode \\u12\"", "\"a\""),
        line("\"raw control \u0001 char\"", "\"a\""),
        line("\"raw del \u007f char is fine\"", "\"long enough answer\""),
        "{\"n\": 01, " + line("\"u\"", "\"a\"").substring(1),
        "{\"n\": 1., " + line("\"u\"", "\"a\"").substring(1),
        "{\"n\": .5, " + line("\"u\"", "\"a\"").substring(1),
        "{\"n\": +1, " + line("\"u\"", "\"a\"").substring(1),
        "{\"n\": -, " + line("\"u\"", "\"a\"").substring(1),
        "{\"n\": 1e, " + line("\"u\"", "\"a\"").substring(1),
        "{\"n\": NaN, " + line("\"u\"", "\"a\"").substring(1),
        "{\"n\": -Infinity, " + line("\"u\"", "\"a\"").substring(1),
        "{\"n\": tru, " + line("\"u\"", "\"a\"").substring(1),
        "{\"n\": truex, " + line("\"u\"", "\"a\"").substring(1),
        "{\"n\": nul}",
        "{\"n\": 1x}",
        "{\"messages\":[" + msg("user", "\"u\"") + "," + msg("assistant", "\"a\"") + ",]}",
        "{\"messages\":[" + msg("user", "\"u\"") + "," + msg("assistant", "\"a\"") + "],}",
        "{\"messages\" [" + msg("user", "\"u\"") + "]}",
        "{'messages': []}",
        "{\"messages\":[]} // comment",
        line("\"u\"", "\"a\"") + " {}",
        line("\"u\"", "\"a\"") + "}",
        "[" + line("\"u\"", "\"a\"") + "]",
        "\"just a string\"",
        "12",
        "{}",
        "{\"messages\": {}}",
        "{\"messages\": [\"user\", \"assistant\"]}",
        "{\"messages\":[" + msg("user", "\"only one\"") + "]}",
        "{\"messages\":[" + msg("user", "\"u\"") + "," + msg("user", "\"no assistant\"") + "]}",
        "{\"messages\":[" + msg("assistant", "\"a\"") + "," + msg("system", "\"no user\"") + "]}",
        "{\"messages\":[" + msg("user", "\"u\"") + "," + msg("assistant", "42") + "]}",
        "{\"messages\":[" + msg("user", "\"u\"") + ",{\"role\":\"assistant\"}]}",
        "{\"messages\":[{\"content\":\"u\"}," + msg("assistant", "\"a\"") + "]}",
        "{\"messages\":[{\"role\":null,\"content\":\"u\"}," + msg("assistant", "\"a\"") + "]}",
        "{\"messages\":[{\"role\":1.5e3,\"content\":\"u\"}," + msg("assistant", "\"a\"") + "]}",
        "{\"messages\":[{\"role\":true,\"content\":\"u\"}," + msg("assistant", "\"a\"") + "]}",
        "{\"messages\":[{\"role\":[1],\"content\":\"u\"}," + msg("assistant", "\"a\"") + "]}",
        "{\"messages\":[{\"role\":{\"a\":1},\"content\":\"u\"}," + msg("assistant", "\"a\"") + "]}",
        "{\"messages\":[{\"role\":\"User\",\"content\":\"u\"}," + msg("assistant", "\"a\"") + "]}",
        "{\"messages\":[{\"role\":\"user\",\"role\":\"nobody\",\"content\":\"u\"}," + msg("assistant", "\"a\"") + "]}",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"u\",\"content\":[]}," + msg("assistant", "\"a\"") + "]}",
        "{\"messages\":[" + msg("user", "\"u\"") + "," + msg("assistant", "\"a\"") + "], \"messages\": null}",
        "{\"messages\":[" + msg("user", "\"u\"") + "," + msg("assistant", "\"unterminated"),
    };

    @Test
    void linesLeftToJacksonGiveTheReferenceResult() {
        for (String l : OTHER_LINES) {
            assertSame(withFiller(l));
        }
        assertEquals(60, fastCount(withFiller(OTHER_LINES[0])), "escaped names are left to Jackson");
    }

    @Test
    void invalidUtf8BomCrlfAndSplitLinesGiveTheReferenceResult() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        out.writeBytes(utf8(line("\"after a BOM\"", "\"long enough answer\"") + "\r\n"));
        out.writeBytes(utf8(line("\"bad", "")));
        out.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, '"', '}', ']', '}', '\r'});
        out.writeBytes(utf8(line("\"cr only\"", "\"long enough answer\"") + "\r"));
        out.writeBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'}); // an encoded surrogate: invalid
        out.writeBytes(utf8("   \t\n\n" + filler(0, 60)));
        out.writeBytes(utf8(line("\"no newline at the end\"", "\"long enough answer \u00e9\"")));
        assertSame(out.toByteArray());
    }

    @Test
    void everyFixtureGivesTheReferenceResult() throws IOException {
        for (String f : new String[] {"great.jsonl", "quality-mix.jsonl", "high-dup.jsonl", "some-dup.jsonl",
            "forty-nine.jsonl", "json-multiturn.jsonl", "japanese.jsonl", "chinese.jsonl", "emoji.jsonl",
            "spanish.jsonl"}) {
            byte[] bytes = DatasetAnalyserTest.fixture(f);
            assertSame(bytes);
            assertTrue(fastCount(bytes) > 0, f);
        }
    }

    @Test
    void escapedAndRawFormsOfTheSameExampleAreDuplicates() {
        String raw = line("\"caf\u00e9 \uD83D\uDE00\"", "\"the same answer\"");
        String escaped = line("\"caf\\u00e9 \\ud83d\\ude00\"", "\"the same \\u0061nswer\"");
        byte[] bytes = utf8(raw + "\n" + escaped + "\n" + filler(0, 60));
        AnalysisResult r = analyse(bytes, 8192, true);
        assertEquals(1, r.duplicates());
        assertSame(bytes);
    }

    /** Random lines from a small grammar, then random byte mutations: both paths must agree on all of them. */
    @Test
    void randomlyMutatedLinesGiveTheReferenceResult() {
        Random rnd = new Random(20261125L);
        String[] atoms = {"\"user\"", "\"assistant\"", "\"system\"", "\"x\\n\\u00e9\"", "\"\\ud83d\"", "\"\\ude00\\ud83d\\ude00\"",
            "1", "-2.5e3", "true", "null", "[]", "{}", "\"  \"", "\"{\\\"a\\\":1}\"", "\"\u00a0\u4e2d\uD83D\uDE00\""};
        String[] junk = {"\\", "\"", "{", "}", "[", "]", ",", ":", "\\u", "\\ud8", "0", " ", "\t", "\u0001", "\u00e9", "e",
            "-", ".", "\uFEFF", "\\u0000"};
        for (int round = 0; round < 40; round++) {
            List<String> lines = new ArrayList<>();
            for (int k = 0; k < 40; k++) {
                StringBuilder sb = new StringBuilder("{");
                if (rnd.nextInt(5) == 0) {
                    sb.append("\"meta\":").append(atoms[rnd.nextInt(atoms.length)]).append(',');
                }
                sb.append("\"messages\":[");
                int n = 1 + rnd.nextInt(4);
                for (int m = 0; m < n; m++) {
                    if (m > 0) {
                        sb.append(',');
                    }
                    String role = rnd.nextInt(6) == 0 ? atoms[rnd.nextInt(atoms.length)]
                            : new String[] {"\"user\"", "\"assistant\"", "\"system\""}[m % 2 == 0 ? (rnd.nextInt(4) == 0 ? 2 : 0) : 1];
                    String content = rnd.nextInt(3) == 0 ? atoms[rnd.nextInt(atoms.length)]
                            : "\"answer " + rnd.nextInt(30) + " \\t caf\\u00e9\"";
                    sb.append("{\"role\":").append(role).append(",\"content\":").append(content).append('}');
                }
                sb.append("]}");
                String l = sb.toString();
                int mutations = rnd.nextInt(3);
                for (int j = 0; j < mutations; j++) {
                    int at = rnd.nextInt(l.length() + 1);
                    switch (rnd.nextInt(3)) {
                        case 0 -> l = l.substring(0, at) + junk[rnd.nextInt(junk.length)] + l.substring(at);
                        case 1 -> l = at < l.length() ? l.substring(0, at) + l.substring(at + 1) : l;
                        default -> l = at < l.length() ? l.substring(0, at) + junk[rnd.nextInt(junk.length)] + l.substring(at + 1) : l;
                    }
                }
                lines.add(l);
            }
            StringBuilder file = new StringBuilder();
            for (String l : lines) {
                file.append(l).append(rnd.nextBoolean() ? "\n" : "\r\n");
            }
            file.append(filler(round * 100, 55));
            byte[] bytes = utf8(file.toString());
            if (rnd.nextInt(4) == 0) {
                bytes[rnd.nextInt(bytes.length)] = (byte) (0x80 + rnd.nextInt(0x80)); // stray non-UTF-8 byte
            }
            AnalysisResult ref = analyse(bytes, 1 << 16, false);
            assertEquals(ref, analyse(bytes, 1 + rnd.nextInt(100), true), "round " + round + ":\n" + file);
        }
    }
}
