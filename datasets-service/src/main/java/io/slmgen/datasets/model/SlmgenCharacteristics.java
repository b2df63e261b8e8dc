package io.slmgen.datasets.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** SLMGEN v1's DatasetCharacteristics (docs/SPEC.md §15). */
@JsonPropertyOrder({"is_multilingual", "avg_response_length", "looks_like_json", "is_multi_turn", "has_system_prompts",
        "dominant_language"})
public record SlmgenCharacteristics(
        @JsonProperty("is_multilingual") boolean isMultilingual,
        @JsonProperty("avg_response_length") long avgResponseLength,
        @JsonProperty("looks_like_json") boolean looksLikeJson,
        @JsonProperty("is_multi_turn") boolean isMultiTurn,
        @JsonProperty("has_system_prompts") boolean hasSystemPrompts,
        @JsonProperty("dominant_language") String dominantLanguage) {
}
