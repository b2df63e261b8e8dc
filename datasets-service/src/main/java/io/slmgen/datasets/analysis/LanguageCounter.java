package io.slmgen.datasets.analysis;

import java.util.Locale;
import java.util.Set;

/**
 * SLMGEN's dominant-language heuristic (SPEC §8.4) without regular expressions: Python's
 * {@code re.findall(r"\b(w1|w2|...)\b", text.lower(), re.IGNORECASE)} counts the maximal runs of
 * word characters (Python's {@code \w}: letters, numbers, underscore) that equal one of the words, so
 * this scans runs once and looks them up. Under IGNORECASE Python's {@code re} also lets {@code i}
 * match dotless {@code ı} and {@code s} match long {@code ſ}; after lower-casing those are the only
 * extra equivalences for these ASCII/Latin-1 words, and they are folded here. CJK/kana/Hangul
 * counters count code points in the ranges.
 */
final class LanguageCounter {

    static final String[] LANGS = {"en", "es", "fr", "de", "zh", "ja", "ko"};

    private static final Set<String> EN = Set.of("the", "is", "are", "was", "were", "have", "has", "been", "will",
            "would", "could", "should");
    private static final Set<String> ES = Set.of("el", "la", "los", "las", "un", "una", "es", "son", "está", "están",
            "para", "con", "por");
    private static final Set<String> FR = Set.of("le", "la", "les", "un", "une", "est", "sont", "dans", "pour", "avec",
            "sur");
    private static final Set<String> DE = Set.of("der", "die", "das", "ein", "eine", "ist", "sind", "für", "mit", "auf",
            "von");
    private static final int MAX_WORD = 6;

    final long[] counts = new long[LANGS.length];
    private final StringBuilder word = new StringBuilder(MAX_WORD);

    void add(char[] c, int len) {
        String s = new String(c, 0, len).toLowerCase(Locale.ROOT);
        int n = s.length();
        int runStart = -1;
        int runCodePoints = 0;
        word.setLength(0);
        for (int i = 0; i < n; ) {
            int cp = s.codePointAt(i);
            if (cp >= 0x4E00 && cp <= 0x9FFF) {
                counts[4]++;
            } else if (cp >= 0x3040 && cp <= 0x30FF) {
                counts[5]++;
            } else if (cp >= 0xAC00 && cp <= 0xD7AF) {
                counts[6]++;
            }
            if (isWord(cp)) {
                if (runStart < 0) {
                    runStart = i;
                    runCodePoints = 0;
                    word.setLength(0);
                }
                runCodePoints++;
                if (runCodePoints <= MAX_WORD) {
                    word.appendCodePoint(cp == 0x131 ? 'i' : cp == 0x17F ? 's' : cp);
                }
            } else if (runStart >= 0) {
                endRun(runCodePoints);
                runStart = -1;
            }
            i += Character.charCount(cp);
        }
        if (runStart >= 0) {
            endRun(runCodePoints);
        }
    }

    private void endRun(int codePoints) {
        if (codePoints > MAX_WORD) {
            return;
        }
        String w = word.toString();
        if (EN.contains(w)) {
            counts[0]++;
        }
        if (ES.contains(w)) {
            counts[1]++;
        }
        if (FR.contains(w)) {
            counts[2]++;
        }
        if (DE.contains(w)) {
            counts[3]++;
        }
    }

    /** Python's {@code \w} for str patterns: str.isalnum() or underscore. */
    static boolean isWord(int cp) {
        if (cp < 0x80) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
        }
        if (Character.isLetter(cp)) {
            return true;
        }
        int t = Character.getType(cp);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }

    /** The winner: highest count, ties to the first in order; non-en only if > 2 × en. */
    String dominant() {
        int best = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        return best != 0 && counts[best] > counts[0] * 2 ? LANGS[best] : "en";
    }
}
