package io.slmgen.catalog.recommend;

import java.util.List;

/** What the scorer needs of a model_catalog row (and what a job needs of the chosen one). */
public record CatalogModel(String id, String name, String size, int context_window, boolean is_gated,
                           List<String> strengths, List<String> good_for_tasks, List<String> good_for_deploy,
                           int min_examples, String hf_model_id, String unsloth_model_id, String chat_template,
                           boolean load_in_4bit, String architecture, Double vram_required_gb) {
}
