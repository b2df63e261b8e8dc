package io.slmgen.datasets.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The answer of SLMGEN v1's {@code POST /slmgen/upload} (docs/SPEC.md §15). */
@JsonPropertyOrder({"session_id", "stats", "message"})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SlmgenUpload(
        String sessionId,
        SlmgenStats stats,
        String message) {
}
