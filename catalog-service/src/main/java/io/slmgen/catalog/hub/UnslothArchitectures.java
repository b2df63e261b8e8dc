package io.slmgen.catalog.hub;

import java.util.List;

/**
 * The model architectures SLMGEN accepts as ones Unsloth can fine-tune (SLMGEN's
 * {@code SUPPORTED_ARCHITECTURES}), with its compatibility messages. The order is the one this list is
 * reported in ({@code supported_architectures}).
 */
public final class UnslothArchitectures {

    public static final List<String> SUPPORTED = List.of(
            "LlamaForCausalLM",
            "MistralForCausalLM",
            "Phi3ForCausalLM",
            "PhiForCausalLM",
            "Qwen2ForCausalLM",
            "GemmaForCausalLM",
            "Gemma2ForCausalLM",
            "GPTNeoXForCausalLM",
            "StableLmForCausalLM",
            "DeepseekForCausalLM",
            "InternLM2ForCausalLM");

    /** SLMGEN's architecture when config.json cannot be read (and the hub named none). */
    public static final String UNKNOWN = "Unknown";
    /** SLMGEN's architecture for a gated model it could learn nothing about. */
    public static final String UNKNOWN_GATED = "Unknown (gated)";
    public static final String GATED_REASON = "⚠️ Gated model - requires HF token for full validation";

    private UnslothArchitectures() {
    }

    public static boolean supported(String architecture) {
        return architecture != null && SUPPORTED.contains(architecture);
    }

    /** SLMGEN's compatibility_reason for a known (or "Unknown") architecture. */
    public static String reason(String architecture) {
        return supported(architecture)
                ? "✅ Architecture '" + architecture + "' is supported by Unsloth"
                : "⚠️ Architecture '" + architecture + "' may not be optimized by Unsloth";
    }
}
