package io.slmgen.catalog.model;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.slmgen.catalog.recommend.ScoredModel;

/** SLMGEN v1's RecommendResponse (SPEC §15): the best model and up to three alternatives. */
@RegisterForReflection
public record SlmgenRecommendation(Model primary, List<Model> alternatives) {

    /** SLMGEN's ModelRecommendation: model_id is the Hugging Face id. */
    @RegisterForReflection
    public record Model(String model_id, String model_name, String size, double score, List<String> reasons,
                        int context_window, boolean is_gated) {

        public static Model of(ScoredModel s) {
            CatalogModel m = s.model();
            return new Model(m.hf_model_id(), m.name(), m.size(), s.score(), s.reasons(), m.context_window(),
                    m.is_gated());
        }
    }

    public static SlmgenRecommendation of(List<ScoredModel> ranked) {
        return new SlmgenRecommendation(Model.of(ranked.get(0)),
                ranked.subList(1, Math.min(4, ranked.size())).stream().map(Model::of).toList());
    }
}
