package io.slmgen.datasets.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The answer of SLMGEN v1's {@code POST /slmgen/analyze} (docs/SPEC.md §15). */
@JsonPropertyOrder({"session_id", "stats", "characteristics"})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SlmgenAnalysis(
        String sessionId,
        SlmgenStats stats,
        SlmgenCharacteristics characteristics) {
}
