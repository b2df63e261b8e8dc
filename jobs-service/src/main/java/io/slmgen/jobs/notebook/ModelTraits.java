package io.slmgen.jobs.notebook;

import io.slmgen.jobs.client.CatalogModel;

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
    public static ModelTraits of(CatalogModel model) {
        if (model == null) {
            return UNKNOWN;
        }
        return new ModelTraits(text(model.hfModelId()), text(model.architecture()), text(model.size()), model.parameters(),
                model.vramRequiredGb(), model.contextWindow() != null && model.contextWindow() > 0 ? model.contextWindow() : null,
                Boolean.TRUE.equals(model.custom()));
    }

    /** True when the architecture is a real one (SLMGEN reports "Unknown" or "Unknown (gated)" otherwise). */
    public boolean architectureKnown() {
        return architecture != null && !architecture.startsWith("Unknown");
    }

    private static String text(String s) {
        return s != null && !s.isBlank() ? s : null;
    }
}
