package io.slmgen.datasets.analysis;

import java.util.List;

/**
 * Everything SPEC §8.1–8.4 derives from one file. {@code valid} is false when fewer than 50 valid
 * examples were found; {@code message} then holds SLMGEN's exact 422 text. {@code duplicateExamples}:
 * SLMGEN's duplicate listing (the first 20 indices of copies, groups in order of first occurrence).
 */
public record AnalysisResult(
        boolean valid,
        String message,
        long bytes,
        long lines,
        long totalExamples,
        long totalTokens,
        long avgTokensPerExample,
        int singleTurnPct,
        int multiTurnPct,
        boolean hasSystemPrompts,
        double qualityScore,
        List<String> qualityIssues,
        boolean isMultilingual,
        long avgResponseLength,
        boolean looksLikeJson,
        boolean isMultiTurn,
        String dominantLanguage,
        long duplicates,
        List<Long> duplicateExamples,
        long invalidLines,
        List<InvalidSample> invalidSamples) {

    /** An invalid line: its physical line number (from 1) and why. */
    public record InvalidSample(long line, String reason) {
    }
}
