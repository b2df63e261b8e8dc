package io.slmgen.datasets.analysis;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/** SLMGEN's quality score and issue sentences (SPEC §8.3), from counts. */
public final class QualityRules {

    /** U+26A0 U+FE0F. */
    static final String WARN = "\u26A0\uFE0F";
    static final String CROSS = "\u274C";
    static final String CHECK = "\u2705";
    static final String THUMBS = "\uD83D\uDC4D";

    private QualityRules() {
    }

    public record Quality(double score, List<String> issues) {
    }

    /**
     * @param n examples; @param dupes Σ(count − 1) over identical examples; @param emptyReplies and
     * @param shortReplies assistant messages empty / shorter than 10 code points after stripping;
     * @param withSystem examples having a system message
     */
    public static Quality score(long n, long dupes, long emptyReplies, long shortReplies, long withSystem) {
        double penalty = 0.0;
        List<String> issues = new ArrayList<>();

        double dupPct = n > 0 ? ((double) dupes / n) * 100 : 0;
        if (dupPct > 20) {
            penalty += 0.3;
            issues.add(WARN + " High duplication: " + oneDecimal(dupPct) + "% of examples are duplicates");
        } else if (dupPct > 10) {
            penalty += 0.15;
            issues.add(WARN + " Some duplicates found: " + oneDecimal(dupPct) + "% duplicated");
        } else if (dupPct > 5) {
            penalty += 0.05;
            issues.add("A few duplicates: " + oneDecimal(dupPct) + "%");
        }

        if (n < 50) {
            penalty += 0.5;
            issues.add(CROSS + " Too few examples - need at least 50");
        } else if (n < 100) {
            penalty += 0.2;
            issues.add(WARN + " Small dataset - 100+ examples recommended");
        } else if (n < 500) {
            penalty += 0.1;
            issues.add("Dataset is decent, but 500+ examples would be better");
        } else if (n < 1000) {
            penalty += 0.05;
        }

        double replies = 0.0;
        List<String> replyIssues = new ArrayList<>(2);
        if (emptyReplies > 0) {
            replies += 0.2;
            replyIssues.add(CROSS + " Found " + emptyReplies + " empty assistant responses");
        }
        if (shortReplies > n * 0.1) {
            replies += 0.1;
            replyIssues.add(WARN + " Many very short responses (" + shortReplies + ")");
        }
        penalty += Math.min(replies, 0.2);
        if (!replyIssues.isEmpty()) {
            issues.add(String.join(" | ", replyIssues));
        }

        long without = n - withSystem;
        if (withSystem > 0 && without > 0) {
            double ratio = (double) Math.min(withSystem, without) / Math.max(withSystem, without);
            if (ratio > 0.3) {
                penalty += 0.1;
                issues.add(WARN + " Inconsistent system prompt usage - some have it, some don't");
            }
        }

        double score = Math.max(0.0, 1.0 - penalty);
        String headline;
        if (score >= 0.9) {
            headline = CHECK + " Dataset looks great!";
        } else if (score >= 0.7) {
            headline = THUMBS + " Dataset is good, with some minor issues";
        } else if (score >= 0.5) {
            headline = WARN + " Dataset has some issues that may affect quality";
        } else {
            headline = CROSS + " Dataset has significant issues";
        }
        issues.add(0, headline);
        return new Quality(score, List.copyOf(issues));
    }

    /** Python's {@code f"{x:.1f}"}: half-even on the exact binary value. */
    static String oneDecimal(double x) {
        return new BigDecimal(x).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
    }
}
