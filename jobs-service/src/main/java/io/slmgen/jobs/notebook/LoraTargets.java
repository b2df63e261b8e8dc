package io.slmgen.jobs.notebook;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LoRA target modules by model architecture, as SLMGEN chooses them ({@code core/registry.py}
 * {@code LORA_TARGETS} and {@code get_lora_targets}): Gemma adapts attention only, the original Phi
 * names its MLP {@code fc1}/{@code fc2}, everything else is Llama-like. When the architecture is not
 * known (a gated model, the hub unreachable) SLMGEN guesses from the model id - case-sensitively, so
 * "dolphin" is not taken for a Phi; so do we.
 */
public final class LoraTargets {

    static final List<String> LLAMA_LIKE = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");
    static final List<String> ATTENTION_ONLY = List.of("q_proj", "k_proj", "v_proj", "o_proj");
    static final List<String> PHI = List.of("q_proj", "k_proj", "v_proj", "o_proj", "fc1", "fc2");

    static final Map<String, List<String>> BY_ARCHITECTURE = Map.ofEntries(
            Map.entry("Phi3ForCausalLM", LLAMA_LIKE),
            Map.entry("PhiForCausalLM", PHI),
            Map.entry("GemmaForCausalLM", ATTENTION_ONLY),
            Map.entry("Gemma2ForCausalLM", ATTENTION_ONLY),
            Map.entry("LlamaForCausalLM", LLAMA_LIKE),
            Map.entry("MistralForCausalLM", LLAMA_LIKE),
            Map.entry("Qwen2ForCausalLM", LLAMA_LIKE),
            Map.entry("GPTNeoXForCausalLM", LLAMA_LIKE),
            Map.entry("StableLmForCausalLM", LLAMA_LIKE),
            Map.entry("DeepseekForCausalLM", LLAMA_LIKE),
            Map.entry("InternLM2ForCausalLM", LLAMA_LIKE));

    private LoraTargets() {
    }

    public static List<String> of(ModelTraits traits, String fallbackModelId) {
        if (traits.architectureKnown()) {
            return BY_ARCHITECTURE.getOrDefault(traits.architecture(), LLAMA_LIKE);
        }
        String id = traits.hfModelId() != null ? traits.hfModelId() : fallbackModelId;
        return guess(id == null ? "" : id);
    }

    /** SLMGEN's fallback on the id: Phi-3/Phi-4 are Llama-like, older Phi uses fc1/fc2, Gemma attention only. */
    static List<String> guess(String modelId) {
        if (modelId.contains("Phi")) {
            return modelId.contains("Phi-3") || modelId.contains("Phi-4") ? LLAMA_LIKE : PHI;
        }
        if (modelId.toLowerCase(Locale.ROOT).contains("gemma")) {
            return ATTENTION_ONLY;
        }
        return LLAMA_LIKE;
    }
}
