package io.slmgen.jobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * catalog-service's answer to POST /api/models/validate (SPEC §15): SLMGEN's validate-model fields
 * (only those read here) plus the parameter count, the size label and the catalog's own id when the
 * Hugging Face id is a catalog model.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelValidation(
        String name,
        String architecture,
        @JsonProperty("context_window") Integer contextWindow,
        @JsonProperty("is_gated") Boolean isGated,
        @JsonProperty("is_compatible") Boolean isCompatible,
        @JsonProperty("compatibility_reason") String compatibilityReason,
        Long parameters,
        String size,
        @JsonProperty("catalog_id") String catalogId) {
}
