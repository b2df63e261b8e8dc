package io.slmgen.catalog.model;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.slmgen.catalog.recommend.ScoredModel;

/**
 * The answer of {@code POST /api/recommendations} (SPEC §8.5): the best model for the dataset and up to
 * three alternatives, in score order.
 */
@RegisterForReflection
public record Recommendation(String dataset_id, String task_type, String deployment_target, Model primary,
                             List<Model> alternatives) {

    /** A ranked catalog model with what a job needs to train it. */
    @RegisterForReflection
    public record Model(String model_id, String model_name, String hf_model_id, String unsloth_model_id,
                        String chat_template, boolean load_in_4bit, String architecture, String size,
                        int context_window, Double vram_required_gb, boolean is_gated, double score,
                        List<String> reasons, int estimated_training_minutes) {

        public static Model of(ScoredModel s) {
            CatalogModel m = s.model();
            return new Model(m.id(), m.name(), m.hf_model_id(), m.unsloth_model_id(), m.chat_template(),
                    m.load_in_4bit(), m.architecture(), m.size(), m.context_window(), m.vram_required_gb(),
                    m.is_gated(), s.score(), s.reasons(), s.estimated_training_minutes());
        }
    }

    /** The best of the ranking (best first) and the next three. */
    public static Recommendation of(String datasetId, String task, String target, List<ScoredModel> ranked) {
        return new Recommendation(datasetId, task, target, Model.of(ranked.get(0)),
                ranked.subList(1, Math.min(4, ranked.size())).stream().map(Model::of).toList());
    }
}
