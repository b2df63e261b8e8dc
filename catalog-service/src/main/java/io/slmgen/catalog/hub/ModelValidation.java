package io.slmgen.catalog.hub;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What SLMGEN's {@code validate-model} reports about a Hugging Face model (its {@code ModelInfo}),
 * plus what a job needs beyond it: the parameter count the hub reported (null when it did not) and
 * the catalog's own id when the model is one of the catalog's.
 */
public record ModelValidation(String model_id, String name, String architecture, int context_window,
                              boolean is_gated, long downloads, long likes, boolean is_compatible,
                              String compatibility_reason, Long parameters, String size, String catalog_id) {

    /** SLMGEN's ValidateModelResponse, field for field and in its order (SPEC §15). */
    public Map<String, Object> slmgenBody() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_id", model_id);
        out.put("name", name);
        out.put("architecture", architecture);
        out.put("context_window", context_window);
        out.put("is_gated", is_gated);
        out.put("downloads", downloads);
        out.put("likes", likes);
        out.put("is_compatible", is_compatible);
        out.put("compatibility_reason", compatibility_reason);
        out.put("supported_architectures", UnslothArchitectures.SUPPORTED);
        return out;
    }

    /** The /api form (what jobs-service reads): SLMGEN's fields, then parameters, size and catalog_id. */
    public Map<String, Object> apiBody() {
        Map<String, Object> out = slmgenBody();
        out.put("parameters", parameters);
        out.put("size", size);
        out.put("catalog_id", catalog_id);
        return out;
    }
}
