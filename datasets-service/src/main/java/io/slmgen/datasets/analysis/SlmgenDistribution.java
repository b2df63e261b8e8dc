package io.slmgen.datasets.analysis;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The answer of SLMGEN v1's {@code GET /slmgen/preview/{sid}/distribution} (docs/SPEC.md §15). {@code roles}
 * counts messages by whatever role names the dataset uses, in order of first appearance.
 */
@JsonPropertyOrder({"roles", "avg_message_length", "token_distribution", "has_system_prompts", "multi_turn_percentage"})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SlmgenDistribution(
        Map<String, Long> roles,
        double avgMessageLength,
        TokenBuckets tokenDistribution,
        boolean hasSystemPrompts,
        double multiTurnPercentage) {

    /** Examples by SLMGEN's token count. */
    @JsonPropertyOrder({"0-100", "100-500", "500-1000", "1000+"})
    public record TokenBuckets(
            @JsonProperty("0-100") long upTo100,
            @JsonProperty("100-500") long upTo500,
            @JsonProperty("500-1000") long upTo1000,
            @JsonProperty("1000+") long more) {
    }
}
