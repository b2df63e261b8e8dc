package io.slmgen.datasets.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The answer of SLMGEN v1's {@code POST /slmgen/upload} (docs/SPEC.md §15). */
@JsonPropertyOrder({"session_id", "stats", "message"})
public record SlmgenUpload(
        @JsonProperty("session_id") String sessionId,
        SlmgenStats stats,
        String message) {
}
