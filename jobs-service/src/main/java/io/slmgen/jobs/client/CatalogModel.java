package io.slmgen.jobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A model a job is made for, in a catalog row's shape: catalog-service's model (GET /api/models/{id};
 * only the columns jobs-service reads, the others ignored), a ranked recommendation as a model
 * ({@link Recommendation.Ranked#model()}) or a validated custom Hugging Face model
 * ({@code service/ModelResolver}: {@code parameters} and {@code custom} set). Any field may be missing
 * (null): the notebook then falls back as SLMGEN did.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CatalogModel(
        String id,
        String name,
        String hfModelId,
        String unslothModelId,
        String chatTemplate,
        @JsonProperty("load_in_4bit") Boolean loadIn4bit,
        @JsonProperty("is_gated") Boolean isGated,
        String architecture,
        String size,
        Integer contextWindow,
        Double vramRequiredGb,
        /** The parameter count the hub reported (custom models only). */
        Long parameters,
        /** True for a validated Hugging Face model that is not the catalog's. */
        Boolean custom) {

    /** The catalog's answer to GET /api/models (a Page): only its items are read. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Page(java.util.List<CatalogModel> items) {
    }
}
