package io.slmgen.jobs.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * catalog-service's ranking for a dataset (POST /api/recommendations): the first choice and the others.
 * Each entry stays a map: it is a catalog model with its score, read field by field by the notebook's
 * model traits (notebook/ModelTraits) and merged with models fetched by id (service/ModelResolver).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Recommendation(Map<String, Object> primary, List<Map<String, Object>> alternatives) {

    /** The ranked models, best first. */
    public List<Map<String, Object>> ranked() {
        List<Map<String, Object>> out = new ArrayList<>();
        if (primary != null) {
            out.add(primary);
        }
        if (alternatives != null) {
            for (Map<String, Object> a : alternatives) {
                if (a != null) {
                    out.add(a);
                }
            }
        }
        return out;
    }
}
