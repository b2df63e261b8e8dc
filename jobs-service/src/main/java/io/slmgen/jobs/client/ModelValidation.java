package io.slmgen.jobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * catalog-service's answer to POST /api/models/validate (SPEC §15): SLMGEN's validate-model fields
 * (only those read here) plus the parameter count, the size label and the catalog's own id when the
 * Hugging Face id is a catalog model.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModelValidation(
        String name,
        String architecture,
        Integer contextWindow,
        @JsonProperty("is_gated") Boolean isGated,
        @JsonProperty("is_compatible") Boolean isCompatible,
        String compatibilityReason,
        Long parameters,
        String size,
        String catalogId) {
}
