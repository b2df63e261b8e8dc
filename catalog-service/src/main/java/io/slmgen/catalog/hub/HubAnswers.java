package io.slmgen.catalog.hub;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import io.slmgen.catalog.model.CatalogModel;

/**
 * SLMGEN's model-validation rules ({@code core/registry.py}) applied to what the Hugging Face Hub
 * answered: the model's info ({@code GET /api/models/{id}}) and its {@code config.json}. No I/O here.
 *
 * <ul>
 *   <li>architecture: config.json's {@code architectures[0]}; "Unknown" when it cannot be read;</li>
 *   <li>context window: config.json's first of {@code max_position_embeddings}, {@code max_seq_length},
 *       {@code n_positions}; 4096 when none;</li>
 *   <li>compatible when the architecture is one Unsloth supports, with SLMGEN's reason texts;</li>
 *   <li>gated: the info's {@code gated} ("auto"/"manual"), or config.json refused (401/403). A gated model
 *       whose architecture nobody tells us is SLMGEN's gated record: "Unknown (gated)", 4096, assumed
 *       compatible, "requires HF token". Where SLMGEN loses information we keep what the hub did say:
 *       the architecture the info names for a gated repo, and its downloads and likes.</li>
 * </ul>
 */
public final class HubAnswers {

    public static final int DEFAULT_CONTEXT_WINDOW = 4096;
    private static final String[] CONTEXT_KEYS = {"max_position_embeddings", "max_seq_length", "n_positions"};

    /** What asking for config.json gave. */
    public enum ConfigAccess { READ, MISSING, GATED }

    private HubAnswers() {
    }

    /**
     * @param info   the hub's model info (a JSON object)
     * @param config config.json when {@code access} is READ, else ignored
     */
    public static ModelValidation fromHub(HubModelId requested, JsonNode info, ConfigAccess access, JsonNode config) {
        boolean gated = gatedFlag(info.path("gated")) || access == ConfigAccess.GATED;
        String name = nameOf(info.path("id").asText(""), requested);
        long downloads = nonNegative(info.path("downloads"));
        long likes = nonNegative(info.path("likes"));
        Long parameters = parameters(info);
        String fromConfig = access == ConfigAccess.READ ? firstArchitecture(config) : null;
        String architecture = fromConfig != null ? fromConfig : firstArchitecture(info.path("config"));
        int context = access == ConfigAccess.READ ? contextWindow(config) : DEFAULT_CONTEXT_WINDOW;
        if (architecture == null && access == ConfigAccess.GATED) {
            return new ModelValidation(requested.id(), name, UnslothArchitectures.UNKNOWN_GATED, DEFAULT_CONTEXT_WINDOW,
                    true, downloads, likes, true, UnslothArchitectures.GATED_REASON, parameters, sizeLabel(parameters), null);
        }
        if (architecture == null) {
            architecture = UnslothArchitectures.UNKNOWN;
        }
        return new ModelValidation(requested.id(), name, architecture, context, gated, downloads, likes,
                UnslothArchitectures.supported(architecture), UnslothArchitectures.reason(architecture), parameters,
                sizeLabel(parameters), null);
    }

    /** The hub refused even the model's info because it is gated: SLMGEN's gated record, nothing more known. */
    public static ModelValidation gatedWithoutInfo(HubModelId requested) {
        return new ModelValidation(requested.id(), requested.name(), UnslothArchitectures.UNKNOWN_GATED,
                DEFAULT_CONTEXT_WINDOW, true, 0, 0, true, UnslothArchitectures.GATED_REASON, null, null, null);
    }

    /**
     * A catalog model, answered from its row without the hub. Downloads and likes are only known to the
     * hub: 0, as SLMGEN reports them when it cannot ask.
     */
    public static ModelValidation fromCatalog(String requested, CatalogModel model) {
        String hfId = model.hf_model_id();
        String architecture = model.architecture();
        return new ModelValidation(requested, hfId.substring(hfId.lastIndexOf('/') + 1), architecture,
                model.context_window(), model.is_gated(), 0, 0, UnslothArchitectures.supported(architecture),
                UnslothArchitectures.reason(architecture), null, model.size(), model.id());
    }

    /** SLMGEN: the last segment of the hub's id for the model. */
    static String nameOf(String hubId, HubModelId requested) {
        if (hubId.isBlank()) {
            return requested.name();
        }
        return hubId.substring(hubId.lastIndexOf('/') + 1);
    }

    /** The hub's {@code gated}: false, or "auto"/"manual" (older answers: true). */
    static boolean gatedFlag(JsonNode gated) {
        if (gated.isBoolean()) {
            return gated.booleanValue();
        }
        return gated.isTextual() && !gated.textValue().isBlank() && !"false".equalsIgnoreCase(gated.textValue());
    }

    static String firstArchitecture(JsonNode config) {
        if (config == null) {
            return null;
        }
        JsonNode archs = config.path("architectures");
        if (archs.isArray() && !archs.isEmpty() && archs.get(0).isTextual() && !archs.get(0).textValue().isBlank()) {
            return archs.get(0).textValue();
        }
        return null;
    }

    /** SLMGEN's keys in its order; a value that is not a positive whole number is skipped. */
    static int contextWindow(JsonNode config) {
        if (config != null) {
            for (String key : CONTEXT_KEYS) {
                JsonNode v = config.path(key);
                if (v.isIntegralNumber() && v.longValue() > 0) {
                    return (int) Math.min(Integer.MAX_VALUE, v.longValue());
                }
            }
        }
        return DEFAULT_CONTEXT_WINDOW;
    }

    /** The parameter count the hub computed from the safetensors files, when it did. */
    static Long parameters(JsonNode info) {
        JsonNode total = info.path("safetensors").path("total");
        return total.isIntegralNumber() && total.longValue() > 0 ? total.longValue() : null;
    }

    /** "494M", "1.2B", "7B": the size as the catalog writes it (one decimal, no trailing ".0"). */
    public static String sizeLabel(Long parameters) {
        if (parameters == null) {
            return null;
        }
        long millions = Math.max(1, Math.round(parameters / 1e6));
        if (millions < 1000) {
            return millions + "M";
        }
        String b = String.format(Locale.ROOT, "%.1f", parameters / 1e9);
        return (b.endsWith(".0") ? b.substring(0, b.length() - 2) : b) + "B";
    }

    private static long nonNegative(JsonNode n) {
        return n.isIntegralNumber() ? Math.max(0, n.longValue()) : 0;
    }
}
