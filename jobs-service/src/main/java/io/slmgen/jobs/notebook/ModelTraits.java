package io.slmgen.jobs.notebook;

import java.util.Map;

/**
 * What a notebook needs to know about its model beyond how to load it: the architecture (LoRA target
 * modules), the size (training-time and GPU-memory estimates), the context window (a ceiling for the
 * sequence length) and whether it is a custom Hugging Face model rather than one of the catalog's.
 * Any of them may be unknown (null).
 *
 * @param hfModelId    the Hugging Face id (SLMGEN's name-based LoRA fallback reads it)
 * @param size         the catalog's size label ("3B", "1.7B"), or the hub's count written the same way
 * @param parameters   the parameter count the hub reported (custom models)
 * @param vramGb       the catalog's 4-bit GPU memory need in GB; estimated from the size when null
 */
public record ModelTraits(String hfModelId, String architecture, String size, Long parameters, Double vramGb,
                          Integer contextWindow, boolean custom) {

    public static final ModelTraits UNKNOWN = new ModelTraits(null, null, null, null, null, null, false);

    /**
     * From a model as jobs-service carries it: a catalog row or recommendation ({@code hf_model_id},
     * {@code architecture}, {@code size}, {@code vram_required_gb}, {@code context_window}), or a
     * validated custom model (those plus {@code parameters} and {@code custom: true}).
     */
    public static ModelTraits of(Map<String, Object> model) {
        if (model == null) {
            return UNKNOWN;
        }
        return new ModelTraits(text(model.get("hf_model_id")), text(model.get("architecture")), text(model.get("size")),
                model.get("parameters") instanceof Number n ? Long.valueOf(n.longValue()) : null,
                model.get("vram_required_gb") instanceof Number n ? Double.valueOf(n.doubleValue()) : null,
                model.get("context_window") instanceof Number n && n.intValue() > 0 ? Integer.valueOf(n.intValue()) : null,
                Boolean.TRUE.equals(model.get("custom")));
    }

    /** True when the architecture is a real one (SLMGEN reports "Unknown" or "Unknown (gated)" otherwise). */
    public boolean architectureKnown() {
        return architecture != null && !architecture.startsWith("Unknown");
    }

    private static String text(Object o) {
        return o instanceof String s && !s.isBlank() ? s : null;
    }
}
