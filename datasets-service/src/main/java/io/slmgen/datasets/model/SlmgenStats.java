package io.slmgen.datasets.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** SLMGEN v1's DatasetStats (docs/SPEC.md §15): counts and percentages as integers, as SLMGEN's model declares them. */
@JsonPropertyOrder({"total_examples", "total_tokens", "avg_tokens_per_example", "single_turn_pct", "multi_turn_pct",
        "has_system_prompts", "quality_score", "quality_issues"})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SlmgenStats(
        long totalExamples,
        long totalTokens,
        long avgTokensPerExample,
        long singleTurnPct,
        long multiTurnPct,
        boolean hasSystemPrompts,
        double qualityScore,
        /** the row's quality_issues (jsonb) when it is a list, else empty */
        List<?> qualityIssues) {
}
