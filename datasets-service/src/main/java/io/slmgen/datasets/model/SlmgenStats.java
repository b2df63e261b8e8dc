package io.slmgen.datasets.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** SLMGEN v1's DatasetStats (docs/SPEC.md §15): counts and percentages as integers, as SLMGEN's model declares them. */
@JsonPropertyOrder({"total_examples", "total_tokens", "avg_tokens_per_example", "single_turn_pct", "multi_turn_pct",
        "has_system_prompts", "quality_score", "quality_issues"})
public record SlmgenStats(
        @JsonProperty("total_examples") long totalExamples,
        @JsonProperty("total_tokens") long totalTokens,
        @JsonProperty("avg_tokens_per_example") long avgTokensPerExample,
        @JsonProperty("single_turn_pct") long singleTurnPct,
        @JsonProperty("multi_turn_pct") long multiTurnPct,
        @JsonProperty("has_system_prompts") boolean hasSystemPrompts,
        @JsonProperty("quality_score") double qualityScore,
        /** the row's quality_issues (jsonb) when it is a list, else empty */
        @JsonProperty("quality_issues") List<?> qualityIssues) {
}
