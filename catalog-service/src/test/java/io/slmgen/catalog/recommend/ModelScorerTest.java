package io.slmgen.catalog.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.slmgen.catalog.model.CatalogModel;

/**
 * SLMGEN's scoring, rule by rule, on its own registry. Every expected number below was worked out by
 * hand from SPEC §8.5 (the working is in the comments), not by running the scorer.
 */
class ModelScorerTest {

    static final List<CatalogModel> REGISTRY = List.of(
            m("phi4", "3.8B", 16384, List.of("Classification", "Extraction", "Reasoning"),
                    List.of("classify", "extraction", "qa"), List.of("cloud", "server", "desktop"), 100),
            m("llama32", "3B", 8192, List.of("Q&A", "Conversations", "General purpose"),
                    List.of("qa", "conversation", "generation"), List.of("cloud", "server", "desktop"), 100),
            m("gemma2", "2B", 8192, List.of("Edge deployment", "Small footprint", "Fast inference"),
                    List.of("classify", "qa", "conversation"), List.of("edge", "mobile", "browser"), 50),
            m("qwen25", "3B", 32768, List.of("Multilingual", "JSON/structured output", "Long context"),
                    List.of("extraction", "generation", "qa"), List.of("cloud", "server", "desktop"), 100),
            m("mistral7b", "7B", 32768, List.of("Generation", "Creative writing", "Complex reasoning"),
                    List.of("generation", "conversation", "qa"), List.of("cloud", "server"), 200),
            m("smollm2", "1.7B", 8192, List.of("Ultra compact", "Edge inference", "Low memory"),
                    List.of("classify", "qa", "extraction"), List.of("edge", "mobile", "browser"), 50),
            m("llama32_1b", "1B", 8192, List.of("Smallest Llama", "Mobile-first", "Fast inference"),
                    List.of("classify", "qa", "conversation"), List.of("mobile", "edge", "browser"), 50),
            m("tinyllama", "1.1B", 2048, List.of("Tiny footprint", "Embedded systems", "Real-time"),
                    List.of("classify", "qa"), List.of("edge", "mobile", "browser"), 50),
            m("stablelm", "3B", 4096, List.of("Balanced size", "General purpose", "Fast training"),
                    List.of("conversation", "generation", "qa"), List.of("desktop", "server", "cloud"), 100),
            m("deepseek_coder", "1.3B", 16384, List.of("Code generation", "Technical docs", "Structured output"),
                    List.of("extraction", "generation", "qa"), List.of("desktop", "server", "edge"), 100),
            m("phi35", "3.8B", 128000, List.of("128K context", "Reasoning", "Long documents"),
                    List.of("qa", "extraction", "generation"), List.of("cloud", "server", "desktop"), 100));

    final ModelScorer scorer = new ModelScorer(ScoringRules.SLMGEN);

    static CatalogModel m(String id, String size, int ctx, List<String> strengths, List<String> tasks,
                          List<String> deploy, int min) {
        return new CatalogModel(id, id, size, ctx, false, strengths, tasks, deploy, min, 4.0, 10, "hf/" + id,
                "unsloth/" + id, "chatml", true, "LlamaForCausalLM", 1, true, null, null);
    }

    static CatalogModel byId(String id) {
        return REGISTRY.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void taskFitByPositionWithFloorAndUnlisted() {
        assertEquals(50, scorer.taskFit(byId("llama32"), "qa"));          // position 0
        assertEquals(40, scorer.taskFit(byId("gemma2"), "qa"));           // position 1
        assertEquals(30, scorer.taskFit(byId("phi4"), "qa"));             // position 2 → 30
        assertEquals(15, scorer.taskFit(byId("tinyllama"), "generation")); // not listed
    }

    @Test
    void deploymentFitListedSmallDevicesAndNeutral() {
        assertEquals(30, scorer.deploymentFit(byId("gemma2"), "edge"));
        assertEquals(20, scorer.deploymentFit(byId("qwen25"), "mobile"));  // 3B on a small device
        assertEquals(20, scorer.deploymentFit(byId("phi4"), "browser"));   // 3.8B
        assertEquals(5, scorer.deploymentFit(byId("mistral7b"), "edge"));  // 7B
        assertEquals(5, scorer.deploymentFit(byId("deepseek_coder"), "mobile")); // 1.3B is not in the list
        assertEquals(15, scorer.deploymentFit(byId("gemma2"), "cloud"));
    }

    @Test
    void dataFitAddsAndClamps() {
        DatasetProfile everything = new DatasetProfile(60, 100, true, true, true);
        // qwen25: 10 + 10 multilingual + 5 json - 5 (60 < 100) = 20
        assertEquals(20, scorer.dataFit(byId("qwen25"), everything));
        // phi4: 10 + 5 json - 5 = 10
        assertEquals(10, scorer.dataFit(byId("phi4"), everything));
        // gemma2: 10 + 5 conversation (60 is neither ≥ 100 nor < 50) = 15
        assertEquals(15, scorer.dataFit(byId("gemma2"), everything));
        // qwen25 with plenty of data: 10 + 10 + 5 + 5 = 30 → clamped to 20
        assertEquals(20, scorer.dataFit(byId("qwen25"), new DatasetProfile(500, 100, true, true, false)));
        // mistral7b with 150 < 200: 10 - 5 = 5
        assertEquals(5, scorer.dataFit(byId("mistral7b"), new DatasetProfile(150, 100, false, false, false)));
    }

    @Test
    void bonusesForMultiTurnAndLongContext() {
        assertEquals(15, scorer.bonus(byId("qwen25"), new DatasetProfile(100, 2001, false, false, true)));
        assertEquals(10, scorer.bonus(byId("gemma2"), new DatasetProfile(100, 2001, false, false, true)));
        assertEquals(0, scorer.bonus(byId("phi35"), new DatasetProfile(100, 2000, false, false, false)));
    }

    @Test
    void qaOnCloudRanksWithStableTies() {
        List<ScoredModel> ranked = scorer.rank(REGISTRY, "qa", "cloud", new DatasetProfile(150, 100, false, false, false));
        // llama32 50+30+10 = 90, phi35 50+30+10 = 90; the 70s keep registry order; mistral 30+30+5; deepseek 30+15+10
        assertEquals(List.of("llama32", "phi35", "phi4", "gemma2", "qwen25", "smollm2", "llama32_1b", "tinyllama",
                "stablelm", "mistral7b", "deepseek_coder"), ranked.stream().map(s -> s.model().id()).toList());
        assertEquals(List.of(90, 90, 70, 70, 70, 70, 70, 70, 70, 65, 55), ranked.stream().map(ScoredModel::score).toList());
        assertEquals(List.of("✅ Excellent for qa tasks", "✅ Great for cloud deployment", "💪 Q&A", "💪 Conversations"),
                ranked.get(0).reasons());
        assertEquals(List.of("✅ Excellent for qa tasks", "💪 Edge deployment", "💪 Small footprint"),
                ranked.get(3).reasons());
        assertEquals(54, ranked.get(0).estimated_training_minutes()); // int(12 × 1.5 × 3)
    }

    @Test
    void multilingualMultiTurnOnMobileAppliesBothOverrides() {
        List<ScoredModel> ranked = scorer.rank(REGISTRY, "conversation", "mobile",
                new DatasetProfile(60, 2500, true, true, true));
        // gemma2 30+30+15+10 = 85, +15 small-device override = 100
        // qwen25 15+20+20+15 = 70, +20 multilingual override = 90; stablelm 50+20+10+10 = 90 (registry after qwen25)
        // llama32_1b 30+30+15+10 = 85; llama32 40+20+10+10 = 80; mistral7b 40+5+10+15 = 70
        // smollm2 15+30+10+10 = 65; tinyllama 65; phi4 15+20+10+15 = 60; phi35 15+20+5+15 = 55; deepseek 15+5+5+15 = 40
        assertEquals(List.of("gemma2", "qwen25", "stablelm", "llama32_1b", "llama32", "mistral7b", "smollm2",
                "tinyllama", "phi4", "phi35", "deepseek_coder"), ranked.stream().map(s -> s.model().id()).toList());
        assertEquals(List.of(100, 90, 90, 85, 80, 70, 65, 65, 60, 55, 40), ranked.stream().map(ScoredModel::score).toList());
        assertEquals(List.of("✅ Excellent for conversation tasks", "✅ Great for mobile deployment",
                "✅ Compact size perfect for edge devices", "💪 Edge deployment"), ranked.get(0).reasons());
        assertEquals(List.of("✅ Best choice for multilingual data", "✅ Excels at structured JSON output",
                "💪 Multilingual", "💪 JSON/structured output"), ranked.get(1).reasons());
        assertEquals(14, ranked.get(0).estimated_training_minutes()); // int(8 × 0.6 × 3) = int(14.39…)
    }

    @Test
    void aStrengthAlreadyInTheReasonsIsNotRepeated() {
        CatalogModel echo = m("echo", "2B", 8192, List.of("qa tasks", "Tiny"), List.of("qa"), List.of("edge"), 50);
        List<String> reasons = scorer.rank(List.of(echo), "qa", "cloud", new DatasetProfile(100, 10, false, false, false))
                .get(0).reasons();
        assertEquals(List.of("✅ Excellent for qa tasks", "💪 Tiny"), reasons);
    }

    @Test
    void trainingMinutesPerSize() {
        assertEquals(150, scorer.trainingMinutes("7B", 200));    // 25 × 2 × 3
        assertEquals(45, scorer.trainingMinutes("13B", 100));    // other: 15 × 1 × 3
        assertEquals(5, scorer.trainingMinutes("1B", 37));       // int(5 × 0.37 × 3) = int(5.55)
    }
}
