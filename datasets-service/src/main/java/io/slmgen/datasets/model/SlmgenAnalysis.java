package io.slmgen.datasets.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The answer of SLMGEN v1's {@code POST /slmgen/analyze} (docs/SPEC.md §15). */
@JsonPropertyOrder({"session_id", "stats", "characteristics"})
public record SlmgenAnalysis(
        @JsonProperty("session_id") String sessionId,
        SlmgenStats stats,
        SlmgenCharacteristics characteristics) {
}
