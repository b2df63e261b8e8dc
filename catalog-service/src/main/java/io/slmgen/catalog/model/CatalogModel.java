package io.slmgen.catalog.model;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.slmgen.shared.db.RowTimestamp;

/**
 * A model_catalog row (SPEC §5): what {@code /api/models} returns, what the scorer ranks (SPEC §8.5) and
 * what a catalog model's validation is answered from. The components are the columns in the API's
 * order (the JSON's order); timestamps in PostgREST's format.
 */
@RegisterForReflection
public record CatalogModel(String id, String name, String size, int context_window, boolean is_gated,
                           List<String> strengths, List<String> good_for_tasks, List<String> good_for_deploy,
                           int min_examples, Double vram_required_gb, int training_time_per_1k_examples_min,
                           String hf_model_id, String unsloth_model_id, String chat_template, boolean load_in_4bit,
                           String architecture, int registry_order, boolean is_active,
                           @JsonSerialize(using = RowTimestamp.class) OffsetDateTime created_at,
                           @JsonSerialize(using = RowTimestamp.class) OffsetDateTime updated_at) {
}
