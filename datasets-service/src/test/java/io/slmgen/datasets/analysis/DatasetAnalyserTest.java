package io.slmgen.datasets.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.slmgen.datasets.analysis.AnalysisResult.InvalidSample;

/**
 * The analyser against SPEC §8.1–8.4. Fixture files (src/test/resources/fixtures) were written by a
 * small generator; every expected number below was derived by hand (derivations in comments) and
 * cross-checked by running SLMGEN's own ingest.py / quality.py / analyzer.py on the same files.
 */
class DatasetAnalyserTest {

    static final String WARN = "\u26A0\uFE0F";

    // ---------- helpers ----------

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = DatasetAnalyserTest.class.getResourceAsStream("/fixtures/" + name)) {
            return in.readAllBytes();
        }
    }

    static AnalysisResult analyse(byte[] bytes, int chunk) {
        DatasetAnalyser a = new DatasetAnalyser();
        for (int i = 0; i < bytes.length; i += chunk) {
            a.feed(bytes, i, Math.min(chunk, bytes.length - i));
        }
        return a.finish();
    }

    static AnalysisResult analyse(byte[] bytes) {
        return analyse(bytes, 8192);
    }

    /** A valid single-turn line whose reply is long enough not to count as short. */
    static String ok(int i) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"question " + i + "\"},"
                + "{\"role\":\"assistant\",\"content\":\"a sufficiently long answer " + i + "\"}]}";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static String lines(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(ok(i)).append('\n');
        }
        return sb.toString();
    }

    // ---------- the example cap (datasets.max-examples) ----------

    @Test
    void theExampleCapStopsTheAnalysisAtTheFirstExampleBeyondIt() {
        // 60 valid examples with a cap of 60: accepted; a 61st (after blank and invalid lines, which do
        // not count) → TooManyExamplesException from feed, naming the cap
        DatasetAnalyser exact = new DatasetAnalyser(DatasetAnalyser.DEFAULT_MAX_LINE_BYTES, 60);
        exact.feed(utf8(lines(0, 60) + "\n{\"messages\":[]}\n"));
        AnalysisResult r = exact.finish();
        assertTrue(r.valid());
        assertEquals(60, r.totalExamples());

        DatasetAnalyser over = new DatasetAnalyser(DatasetAnalyser.DEFAULT_MAX_LINE_BYTES, 60);
        over.feed(utf8(lines(0, 60)));
        TooManyExamplesException e = org.junit.jupiter.api.Assertions.assertThrows(TooManyExamplesException.class,
                () -> over.feed(utf8(ok(60) + "\n")));
        assertEquals(60, e.limit());
        assertEquals(60, over.examples());

        // the last line without a newline is only read at finish(): the cap holds there too
        DatasetAnalyser atEnd = new DatasetAnalyser(DatasetAnalyser.DEFAULT_MAX_LINE_BYTES, 60);
        atEnd.feed(utf8(lines(0, 60) + ok(60)));
        org.junit.jupiter.api.Assertions.assertThrows(TooManyExamplesException.class, atEnd::finish);
    }

    // ---------- fixtures: SLMGEN parity ----------

    @Test
    void qualityMixGivesSlmgensScoreIssuesAndStats() throws IOException {
        AnalysisResult r = analyse(fixture("quality-mix.jsonl"));
        assertTrue(r.valid());
        // 150 distinct + 10 copies of line 1
        assertEquals(160, r.totalExamples());
        assertEquals(10, r.duplicates());
        assertEquals(1670, r.totalTokens());
        assertEquals(10, r.avgTokensPerExample()); // 1670 // 160
        assertEquals(100, r.singleTurnPct());
        assertEquals(0, r.multiTurnPct());
        assertTrue(r.hasSystemPrompts());
        // 0.05 (6.25 % dupes) + 0.1 (160 < 500) + min(0.2 + 0.1, 0.2) (3 empty, 17 short > 16) + 0.1 (40/120 > 0.3)
        // summed as doubles: 0.45000000000000007 → 1 − that
        assertEquals(0.5499999999999999, r.qualityScore());
        assertEquals(List.of(WARN + " Dataset has some issues that may affect quality",
                "A few duplicates: 6.2%",
                "Dataset is decent, but 500+ examples would be better",
                "\u274C Found 3 empty assistant responses | " + WARN + " Many very short responses (17)",
                WARN + " Inconsistent system prompt usage - some have it, some don't"), r.qualityIssues());
        assertFalse(r.isMultilingual());
        assertEquals(30, r.avgResponseLength());
        assertFalse(r.looksLikeJson());
        assertFalse(r.isMultiTurn());
        assertEquals("en", r.dominantLanguage());
        assertEquals(0, r.invalidLines());
    }

    @Test
    void highDuplicationIsPenalisedPointThree() throws IOException {
        AnalysisResult r = analyse(fixture("high-dup.jsonl"));
        // each example: "tell me fact i" 13/14 chars → 3 tokens, "Here is a fact about number i." 30/31 → 7
        assertEquals(80, r.totalExamples());
        assertEquals(800, r.totalTokens());
        assertEquals(10, r.avgTokensPerExample());
        // (10·30 + 50·31 + 20·30) / 80 = 2450 / 80 = 30.6 → 30
        assertEquals(30, r.avgResponseLength());
        assertEquals(20, r.duplicates());
        assertEquals(0.5, r.qualityScore()); // 0.3 + 0.2
        assertEquals(List.of(WARN + " Dataset has some issues that may affect quality",
                WARN + " High duplication: 25.0% of examples are duplicates",
                WARN + " Small dataset - 100+ examples recommended"), r.qualityIssues());
    }

    @Test
    void someDuplicatesAreTwelvePointFivePercent() throws IOException {
        AnalysisResult r = analyse(fixture("some-dup.jsonl"));
        assertEquals(80, r.totalExamples());
        assertEquals(10, r.duplicates());
        assertEquals(0.65, r.qualityScore()); // 1 − (0.15 + 0.2)
        assertEquals(List.of(WARN + " Dataset has some issues that may affect quality",
                WARN + " Some duplicates found: 12.5% duplicated",
                WARN + " Small dataset - 100+ examples recommended"), r.qualityIssues());
    }

    @Test
    void aThousandCleanExamplesLookGreat() throws IOException {
        AnalysisResult r = analyse(fixture("great.jsonl"));
        assertEquals(1000, r.totalExamples());
        assertEquals(12790, r.totalTokens());
        assertEquals(12, r.avgTokensPerExample());
        assertTrue(r.hasSystemPrompts());
        assertEquals(1.0, r.qualityScore());
        assertEquals(List.of("\u2705 Dataset looks great!"), r.qualityIssues());
        assertEquals(24, r.avgResponseLength());
        assertEquals(100, r.singleTurnPct());
    }

    @Test
    void jsonRepliesAndMultiTurnAreDetected() throws IOException {
        AnalysisResult r = analyse(fixture("json-multiturn.jsonl"));
        assertEquals(60, r.totalExamples());
        assertEquals(470, r.totalTokens());
        assertEquals(7, r.avgTokensPerExample());
        assertEquals(33, r.singleTurnPct()); // (int) (20 / 60.0 * 100) = (int) 33.33
        assertEquals(67, r.multiTurnPct());
        assertTrue(r.looksLikeJson());
        assertTrue(r.isMultiTurn()); // 40 / 60 > 0.5
        assertEquals(12, r.avgResponseLength());
        assertEquals(0.7, r.qualityScore()); // 0.2 (size) + 0.1 (40 short "[i, i+1]" replies > 6)
        assertEquals(List.of("\uD83D\uDC4D Dataset is good, with some minor issues",
                WARN + " Small dataset - 100+ examples recommended",
                WARN + " Many very short responses (40)"), r.qualityIssues());
    }

    @Test
    void dominantLanguageFollowsSlmgensWordCounts() throws IOException {
        AnalysisResult es = analyse(fixture("spanish.jsonl"));
        assertTrue(es.isMultilingual());
        assertEquals("es", es.dominantLanguage());
        assertEquals(1490, es.totalTokens());
        assertEquals(59, es.avgResponseLength());

        AnalysisResult zh = analyse(fixture("chinese.jsonl"));
        assertTrue(zh.isMultilingual());
        assertEquals("zh", zh.dominantLanguage());
        assertEquals(410, zh.totalTokens());
        assertEquals(15, zh.avgResponseLength());

        AnalysisResult ja = analyse(fixture("japanese.jsonl"));
        assertEquals("ja", ja.dominantLanguage());
        assertEquals(460, ja.totalTokens());

        // emoji make it "multilingual", but no other language beats twice the English count
        AnalysisResult emoji = analyse(fixture("emoji.jsonl"));
        assertTrue(emoji.isMultilingual());
        assertEquals("en", emoji.dominantLanguage());
        assertEquals(1010, emoji.totalTokens());
        assertEquals(39, emoji.avgResponseLength());
    }

    @Test
    void fortyNineValidExamplesAreRejectedWithSlmgensMessage() throws IOException {
        AnalysisResult r = analyse(fixture("forty-nine.jsonl"));
        assertFalse(r.valid());
        assertEquals("Need at least 50 examples for fine-tuning. You only have 49. Maybe try adding more data?",
                r.message());
        assertEquals(49, r.totalExamples());
        assertEquals(3, r.invalidLines());
        // "not json" inserted at index 10 → line 11; {"messages": []} at index 20 → line 21; last line 52
        assertEquals(List.of(11L, 21L, 52L), r.invalidSamples().stream().map(InvalidSample::line).toList());
        assertTrue(r.invalidSamples().get(0).reason().startsWith("Invalid JSON"));
        assertEquals("need at least 2 messages (got 0)", r.invalidSamples().get(1).reason());
        assertEquals("need at least 2 messages (got 1)", r.invalidSamples().get(2).reason());
    }

    @Test
    void resultsDoNotDependOnHowTheBytesAreChunked() throws IOException {
        byte[] bytes = fixture("quality-mix.jsonl");
        AnalysisResult whole = analyse(bytes, bytes.length);
        for (int chunk : new int[] {1, 2, 3, 7, 64, 1000}) {
            assertEquals(whole, analyse(bytes, chunk), "chunk size " + chunk);
        }
    }

    // ---------- reading: line endings, BOM, whitespace, UTF-8, caps ----------

    @Test
    void crLfLoneCrBomAndUnicodeWhitespaceAreHandled() {
        // line 1: BOM + example + CRLF; line 2: blank (spaces, tab) ending in lone CR;
        // line 3: NBSP + example + ideographic space, LF; line 4: empty; 46 more; a last one without newline
        byte[] bytes = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(ok(0) + "\r\n"),
                utf8("  \t\r"), utf8("\u00A0" + ok(1) + "\u3000\n"), utf8("\n"), utf8(lines(2, 48)),
                utf8("\u2028" + ok(48) + "\u0085\r\n"), utf8("\u000B\u001C" + ok(49)));
        for (int chunk : new int[] {1, 2, 5, bytes.length}) {
            AnalysisResult r = analyse(bytes, chunk);
            assertTrue(r.valid(), "chunk " + chunk);
            assertEquals(50, r.totalExamples());
            assertEquals(0, r.invalidLines());
            assertEquals(52, r.lines()); // 4 + 46 + 2
        }
    }

    @Test
    void u2028InsideALineDoesNotEndIt() {
        // SPEC: lines end at \n, \r\n, \r only. The escaped-free U+2028 inside a JSON string is content.
        String withSeparator = "{\"messages\":[{\"role\":\"user\",\"content\":\"a\u2028b\"},"
                + "{\"role\":\"assistant\",\"content\":\"long enough reply\"}]}\n";
        AnalysisResult r = analyse(utf8(withSeparator + lines(1, 50)));
        assertEquals(50, r.totalExamples());
        assertEquals(50, r.lines());
    }

    @Test
    void invalidUtf8MakesOnlyThatLineInvalid() {
        byte[] bad = concat(utf8("{\"messages\":[{\"role\":\"user\",\"content\":\""), new byte[] {(byte) 0xC3, 0x28},
                utf8("\"},{\"role\":\"assistant\",\"content\":\"x\"}]}\n"));
        byte[] surrogate = concat(utf8("{\"a\":\""), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, utf8("\"}\n"));
        byte[] overlong = concat(utf8("{\"a\":\""), new byte[] {(byte) 0xC0, (byte) 0xAF}, utf8("\"}\n"));
        AnalysisResult r = analyse(concat(bad, surrogate, overlong, utf8(lines(0, 50))));
        assertEquals(50, r.totalExamples());
        assertEquals(3, r.invalidLines());
        assertEquals(List.of(new InvalidSample(1, "line is not valid UTF-8"), new InvalidSample(2, "line is not valid UTF-8"),
                new InvalidSample(3, "line is not valid UTF-8")), r.invalidSamples());
    }

    @Test
    void linesLongerThanTheCapAreInvalidWithoutBeingBuffered() {
        DatasetAnalyser a = new DatasetAnalyser(200);
        String longLine = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(300) + "\"}]}\n";
        a.feed(utf8(longLine));
        byte[] rest = utf8(lines(0, 50));
        for (int i = 0; i < rest.length; i += 3) {
            a.feed(rest, i, Math.min(3, rest.length - i));
        }
        // a long last line without newline, fed in pieces
        byte[] tail = utf8("y".repeat(250));
        a.feed(tail, 0, 180);
        a.feed(tail, 180, 70);
        AnalysisResult r = a.finish();
        assertEquals(50, r.totalExamples());
        assertEquals(List.of(new InvalidSample(1, "line is longer than 200 bytes"),
                new InvalidSample(52, "line is longer than 200 bytes")), r.invalidSamples());
    }

    @Test
    void everyValidationRuleNamesItsReasonInSlmgensOrder() {
        String u = "{\"role\":\"user\",\"content\":\"hi\"}";
        String a = "{\"role\":\"assistant\",\"content\":\"hello there\"}";
        List<String> bad = List.of(
                "{\"messages\":[" + u + "," + a + "],}",                       // 1 trailing comma
                "[" + u + "," + a + "]",                                         // 2 array
                "{\"msgs\":[" + u + "," + a + "]}",                              // 3 no messages
                "{\"messages\":\"" + u.replace("\"", "'") + "\"}",               // 4 messages is a string
                "{\"messages\":[" + u + "]}",                                    // 5 one message
                "{\"messages\":[1," + u + "," + a + "]}",                        // 6 not a dict
                "{\"messages\":[{\"role\":\"User\",\"content\":\"x\"}," + a + "]}", // 7 role case
                "{\"messages\":[" + u + ",{\"content\":\"x\"}]}",                // 8 no role
                "{\"messages\":[{\"role\":\"user\",\"content\":5}," + a + "]}",  // 9 content not string
                "{\"messages\":[" + u + ",{\"role\":\"system\",\"content\":\"s\"}]}", // 10 no assistant
                "{\"messages\":[" + a + "," + a + "]}",                          // 11 no user
                "{\"messages\":[" + u + "," + a + "],\"x\":NaN}",                // 12 NaN
                "{\"messages\":[" + u + "," + a + "]} {}",                       // 13 two values
                "{\"messages\":[" + u + "," + a + "],\"messages\":3}",           // 14 last key wins (bad)
                "{\"messages\":[{\"role\":null,\"content\":\"x\"}," + a + "]}",  // 15 null role
                "{\"messages\":[" + u + "," + a + "]} // comment",               // 16 comment
                "'x'");                                                          // 17 single quotes
        StringBuilder sb = new StringBuilder();
        bad.forEach(l -> sb.append(l).append('\n'));
        AnalysisResult r = analyse(utf8(sb + lines(0, 50)));
        assertEquals(50, r.totalExamples());
        assertEquals(17, r.invalidLines());
        List<String> reasons = r.invalidSamples().stream().map(InvalidSample::reason).toList();
        assertTrue(reasons.get(0).startsWith("Invalid JSON: "), reasons.get(0));
        assertEquals("must be a JSON object", reasons.get(1));
        assertEquals("missing or invalid 'messages' array", reasons.get(2));
        assertEquals("missing or invalid 'messages' array", reasons.get(3));
        assertEquals("need at least 2 messages (got 1)", reasons.get(4));
        assertEquals("message 0: message must be a Dict", reasons.get(5));
        assertEquals("message 0: invalid role: User", reasons.get(6));
        assertEquals("message 1: invalid role: None", reasons.get(7));
        assertEquals("message 0: content must be a String", reasons.get(8));
        assertEquals("must have at least one assistant message", reasons.get(9));
        assertEquals("must have at least one user message", reasons.get(10));
        assertTrue(reasons.get(11).startsWith("Invalid JSON: "), reasons.get(11));
        assertTrue(reasons.get(12).startsWith("Invalid JSON: "), reasons.get(12));
        assertEquals("missing or invalid 'messages' array", reasons.get(13));
        assertEquals("message 0: invalid role: None", reasons.get(14));
        assertTrue(reasons.get(15).startsWith("Invalid JSON: "), reasons.get(15));
        assertTrue(reasons.get(16).startsWith("Invalid JSON: "), reasons.get(16));
        for (int i = 0; i < 17; i++) {
            assertEquals(i + 1, r.invalidSamples().get(i).line());
        }
    }

    @Test
    void duplicateKeysLetTheLastOneWinAndExtraKeysAreIgnored() {
        String line = "{\"id\":7,\"messages\":\"bad\",\"meta\":{\"x\":[1,2,{\"y\":null}]},\"messages\":["
                + "{\"role\":\"system\",\"role\":\"user\",\"content\":1,\"content\":\"question\",\"name\":\"n\"},"
                + "{\"content\":\"reply that is long\",\"role\":\"assistant\"}]}\n";
        AnalysisResult r = analyse(utf8(line.repeat(50)));
        assertTrue(r.valid());
        assertEquals(50, r.totalExamples());
        assertFalse(r.hasSystemPrompts()); // "system" was overridden by "user"
        assertEquals(49, r.duplicates());
        // "question" 8 → 2 tokens, "reply that is long" 18 → 4 tokens
        assertEquals(300, r.totalTokens());
    }

    @Test
    void longNumbersAreValidJsonAsInPython() {
        // Python's json takes a 2000-digit integer; Jackson's default would refuse numbers over 1000 chars
        String line = "{\"n\":" + "7".repeat(2000) + ",\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
                + "{\"role\":\"assistant\",\"content\":\"a long enough reply\"}]}\n";
        AnalysisResult r = analyse(utf8(line.repeat(50)));
        assertEquals(50, r.totalExamples());
        assertEquals(0, r.invalidLines());
    }

    @Test
    void onlyTheFirstTwentyInvalidLinesAreSampled() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            sb.append("{}\n\n"); // invalid line, then a blank line (skipped but counted as a line)
        }
        AnalysisResult r = analyse(utf8(sb + lines(0, 50)));
        assertEquals(25, r.invalidLines());
        assertEquals(20, r.invalidSamples().size());
        assertEquals(1, r.invalidSamples().get(0).line());
        assertEquals(39, r.invalidSamples().get(19).line()); // lines 1, 3, 5, … 39
    }

    // ---------- stats: code points, tokens, system messages ----------

    @Test
    void lengthsAreCodePointsNotUtf16Units() {
        // user: 4 emoji = 4 code points (8 UTF-16 units) → max(1, 4/4) = 1 token
        // system: "éééééééé" 8 code points → 2 tokens; assistant: 40 × "😀" → 10 tokens
        String line = "{\"messages\":[{\"role\":\"system\",\"content\":\"éééééééé\"},"
                + "{\"role\":\"user\",\"content\":\"😀😀😀😀\"},"
                + "{\"role\":\"assistant\",\"content\":\"" + "😀".repeat(40) + "\"}]}\n";
        AnalysisResult r = analyse(utf8(line.repeat(50)));
        assertEquals(50 * 13, r.totalTokens());
        assertEquals(13, r.avgTokensPerExample());
        assertEquals(40, r.avgResponseLength());
        assertTrue(r.hasSystemPrompts());
        assertEquals(100, r.singleTurnPct()); // system messages do not count as turns
        assertTrue(r.isMultilingual()); // all code points > 127
        assertEquals("en", r.dominantLanguage()); // no language scores
    }

    @Test
    void escapedSurrogatePairsCountAsOneCodePoint() {
        // "\ud83d\ude00" × 8 = 8 code points → 2 tokens; a lone "\ud800" counts as one code point
        String line = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "\\ud83d\\ude00".repeat(8) + "\"},"
                + "{\"role\":\"assistant\",\"content\":\"\\ud800abc\"}]}\n";
        AnalysisResult r = analyse(utf8(line.repeat(50)));
        assertEquals(50 * 3, r.totalTokens()); // 2 + max(1, 4/4)
        assertEquals(4, r.avgResponseLength());
    }

    @Test
    void emptyContentIsValidAndCountsOneToken() {
        String line = "{\"messages\":[{\"role\":\"user\",\"content\":\"\"},{\"role\":\"assistant\",\"content\":\"\"}]}\n";
        AnalysisResult r = analyse(utf8(line.repeat(100)));
        assertTrue(r.valid());
        assertEquals(200, r.totalTokens());
        // 99 dupes of 100 → 99.0 %, 0.3; size 100 → 0.1; 100 empty → 0.2; 1 − 0.6000000000000001
        assertEquals(0.3999999999999999, r.qualityScore());
        assertEquals(List.of("\u274C Dataset has significant issues",
                WARN + " High duplication: 99.0% of examples are duplicates",
                "Dataset is decent, but 500+ examples would be better",
                "\u274C Found 100 empty assistant responses"), r.qualityIssues());
    }

    // ---------- quality rules on counts ----------

    @Test
    void duplicatePercentIsRoundedHalfEvenOnTheBinaryValue() {
        assertEquals("6.2", QualityRules.oneDecimal(6.25));
        assertEquals("0.2", QualityRules.oneDecimal(0.15000000000000002));
        assertEquals("0.1", QualityRules.oneDecimal(0.15)); // 0.1499999999999999944…
        assertEquals("0.3", QualityRules.oneDecimal(0.35)); // 0.34999999999999997779…
        assertEquals("0.3", QualityRules.oneDecimal(0.25 + 0.0000001));
        assertEquals("12.5", QualityRules.oneDecimal(12.5));
        assertEquals("100.0", QualityRules.oneDecimal(100.0));
    }

    @Test
    void qualityThresholdsAreStrict() {
        // exactly 5 % duplicates: no penalty; 1000 examples: no size penalty
        assertEquals(List.of("\u2705 Dataset looks great!"), QualityRules.score(1000, 50, 0, 0, 0).issues());
        // short replies exactly n × 0.1 → not "many"
        assertEquals(1.0, QualityRules.score(1000, 0, 0, 100, 0).score());
        assertEquals(0.9, QualityRules.score(1000, 0, 0, 101, 0).score());
        // system ratio exactly 0.3 → consistent enough; above → penalty
        assertEquals(1.0, QualityRules.score(1300, 0, 0, 0, 300).score());
        assertEquals(0.9, QualityRules.score(1000, 0, 0, 0, 300).score()); // 300/700 > 0.3
        // 500..999 → 0.05 without a message: 0.95 still "great"
        QualityRules.Quality q = QualityRules.score(500, 0, 0, 0, 0);
        assertEquals(0.95, q.score());
        assertEquals(List.of("\u2705 Dataset looks great!"), q.issues());
    }

    // ---------- reading examples back (preview) ----------

    @Test
    void exampleReaderReturnsTheSameValidExamplesInOrder() throws IOException {
        byte[] bytes = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("garbage\r\n\r\n"), utf8(lines(0, 10)));
        List<Example> first = ExampleReader.read(new java.io.ByteArrayInputStream(bytes), 0, 3);
        assertEquals(3, first.size());
        assertEquals(0, first.get(0).index());
        assertEquals(3, first.get(0).line()); // garbage line 1, blank line 2
        assertEquals(new Example.Message("user", "question 0"), first.get(0).messages().get(0));
        assertEquals(new Example.Message("assistant", "a sufficiently long answer 0"), first.get(0).messages().get(1));
        // "question 0" 10 → 2, "a sufficiently long answer 0" 28 → 7
        assertEquals(9, first.get(0).tokenEstimate());
        List<Example> page = ExampleReader.read(new java.io.ByteArrayInputStream(bytes), 8, 5);
        assertEquals(List.of(8L, 9L), page.stream().map(Example::index).toList());
        assertNull(null);
    }
}
