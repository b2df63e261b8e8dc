package io.slmgen.datasets.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** SLMGEN v1's DatasetCharacteristics (docs/SPEC.md §15). */
@JsonPropertyOrder({"is_multilingual", "avg_response_length", "looks_like_json", "is_multi_turn", "has_system_prompts",
        "dominant_language"})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SlmgenCharacteristics(
        @JsonProperty("is_multilingual") boolean isMultilingual,
        long avgResponseLength,
        boolean looksLikeJson,
        @JsonProperty("is_multi_turn") boolean isMultiTurn,
        boolean hasSystemPrompts,
        String dominantLanguage) {
}
