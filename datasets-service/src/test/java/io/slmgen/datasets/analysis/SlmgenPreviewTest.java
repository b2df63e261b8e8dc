package io.slmgen.datasets.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** SLMGEN's preview numbers and the duplicate listing, against the analyser's own duplicate count. */
class SlmgenPreviewTest {

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = SlmgenPreviewTest.class.getResourceAsStream("/fixtures/" + name)) {
            return in.readAllBytes();
        }
    }

    static DuplicateFinder duplicates(byte[] bytes) throws IOException {
        DuplicateFinder f = new DuplicateFinder(20);
        for (Example e : ExampleReader.read(new ByteArrayInputStream(bytes), 0, Integer.MAX_VALUE)) {
            f.add(e);
        }
        return f;
    }

    @Test
    void duplicateCountEqualsTheAnalysersOnEveryFixture() throws IOException {
        for (String name : new String[] {"quality-mix.jsonl", "high-dup.jsonl", "some-dup.jsonl", "chinese.jsonl",
                "emoji.jsonl", "json-multiturn.jsonl", "great.jsonl"}) {
            byte[] b = fixture(name);
            DatasetAnalyser a = new DatasetAnalyser();
            a.feed(b);
            AnalysisResult r = a.finish();
            DuplicateFinder f = duplicates(b);
            assertEquals(r.duplicates(), f.count(), name);
            // the listing stored at upload is the one a scan of the stored object finds
            assertEquals(f.examples(), r.duplicateExamples(), name);
        }
    }

    @Test
    void theAnalyserListsCopiesInGroupOrderOfFirstOccurrence() {
        // 60 distinct, then 30 copies of example 5 (indices 60..89), one copy of example 2 (index 90) and
        // one of example 0 (91): groups by first occurrence → 0's copy (91), 2's (90), then 5's copies 60..77
        String[] distinct = new String[60];
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            distinct[i] = line("user", "q" + i, "assistant", "a long enough reply");
            sb.append(distinct[i]);
        }
        for (int i = 0; i < 30; i++) {
            sb.append(distinct[5]);
        }
        sb.append(distinct[2]).append(distinct[0]);
        DatasetAnalyser a = new DatasetAnalyser();
        a.feed(sb.toString().getBytes(StandardCharsets.UTF_8));
        AnalysisResult r = a.finish();
        assertEquals(92, r.totalExamples());
        assertEquals(32, r.duplicates());
        List<Long> expected = new java.util.ArrayList<>(List.of(91L, 90L));
        for (long i = 60; i < 78; i++) {
            expected.add(i);
        }
        assertEquals(expected, r.duplicateExamples());
    }

    @Test
    void theFinderStopsAtTheExampleCap() throws IOException {
        // example 3 is copied at 4 and 6; with a cap of 5 examples only the copy at 4 is seen, and the
        // finder asks to stop once the fifth example (index 4) was fed
        String text = line("user", "a", "assistant", "x") + line("user", "b", "assistant", "x")
                + line("user", "c", "assistant", "x") + line("user", "d", "assistant", "x")
                + line("user", "d", "assistant", "x") + line("user", "e", "assistant", "x")
                + line("user", "d", "assistant", "x");
        DuplicateFinder f = new DuplicateFinder(20, 5);
        List<Boolean> answers = new java.util.ArrayList<>();
        for (Example e : ExampleReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 0, 100)) {
            answers.add(f.add(e));
        }
        assertEquals(List.of(true, true, true, true, false, false, false), answers);
        assertEquals(1, f.count());
        assertEquals(List.of(4L), f.examples());
    }

    @Test
    void keyIsRoleAndWholeContentNotSlmgensPrefix() throws IOException {
        String longA = "x".repeat(150) + "A";
        String longB = "x".repeat(150) + "B";
        String text = line("user", "q", "assistant", longA) // 0
                + line("user", "q", "assistant", longB)       // 1: differs after 100 chars → not a duplicate (SLMGEN: it was)
                + line("user", "Q", "assistant", longA)       // 2: other content → not a duplicate
                + line("user", "q", "assistant", longA)       // 3: copy of 0
                + line("user", "q", "assistant", longB);      // 4: copy of 1
        DuplicateFinder f = duplicates(text.getBytes(StandardCharsets.UTF_8));
        assertEquals(2, f.count());
        assertEquals(List.of(3L, 4L), f.examples());
    }

    static String line(String r1, String c1, String r2, String c2) {
        return "{\"messages\":[{\"role\":\"" + r1 + "\",\"content\":\"" + c1 + "\"},{\"role\":\"" + r2
                + "\",\"content\":\"" + c2 + "\"}]}\n";
    }

    @Test
    void wordEstimateSplitsOnPythonWhitespace() {
        // "a b" (2) + " c\u00A0d \u3000e " (3, NBSP and ideographic space split in Python) + "" (0) = 5 → ⌊6.5⌋ = 6
        List<Example.Message> m = List.of(new Example.Message("user", "a b"),
                new Example.Message("assistant", " c\u00A0d \u3000e "), new Example.Message("user", ""));
        assertEquals(5, SlmgenPreview.words(m));
        assertEquals(6, SlmgenPreview.tokenCount(m));
        // U+200B is not whitespace in Python: one word
        assertEquals(1, SlmgenPreview.words(List.of(new Example.Message("user", "a\u200Bb"))));
    }

    @Test
    void roundingIsPythonsHalfEvenOnTheBinaryValue() {
        assertEquals(3.3, SlmgenPreview.round1(2.0 / 60 * 100));
        assertEquals(41.0, SlmgenPreview.round1(5250.0 / 128));
        // Python: round(0.15, 1) = 0.1, round(0.35, 1) = 0.3, round(2.65, 1) = 2.6 (binary values below the half),
        // round(0.25, 1) = 0.2 and round(0.75, 1) = 0.8 (exact halves go to even)
        assertEquals(0.1, SlmgenPreview.round1(0.15));
        assertEquals(0.3, SlmgenPreview.round1(0.35));
        assertEquals(2.6, SlmgenPreview.round1(2.65));
        assertEquals(0.2, SlmgenPreview.round1(0.25));
        assertEquals(0.8, SlmgenPreview.round1(0.75));
    }
}
