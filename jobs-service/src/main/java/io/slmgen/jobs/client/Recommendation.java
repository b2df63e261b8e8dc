package io.slmgen.jobs.client;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * catalog-service's ranking for a dataset (POST /api/recommendations): the first choice and the others,
 * each a catalog model with its score and training-time estimate (only the fields read here).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Recommendation(Ranked primary, List<Ranked> alternatives) {

    /** One ranked catalog model. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Ranked(
            String modelId,
            String modelName,
            String hfModelId,
            String unslothModelId,
            String chatTemplate,
            @JsonProperty("load_in_4bit") Boolean loadIn4bit,
            @JsonProperty("is_gated") Boolean isGated,
            String architecture,
            String size,
            Integer contextWindow,
            Double vramRequiredGb,
            Double score,
            Integer estimatedTrainingMinutes) {

        /** The ranked entry as the model a job is made for. */
        public CatalogModel model() {
            return new CatalogModel(modelId, modelName, hfModelId, unslothModelId, chatTemplate, loadIn4bit, isGated,
                    architecture, size, contextWindow, vramRequiredGb, null, null);
        }
    }

    /** The ranked models, best first. */
    public List<Ranked> ranked() {
        List<Ranked> out = new ArrayList<>();
        if (primary != null) {
            out.add(primary);
        }
        if (alternatives != null) {
            for (Ranked a : alternatives) {
                if (a != null) {
                    out.add(a);
                }
            }
        }
        return out;
    }
}
