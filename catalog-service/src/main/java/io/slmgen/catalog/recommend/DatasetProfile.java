package io.slmgen.catalog.recommend;

/** The dataset facts SLMGEN's scoring reads (SPEC §8.5). */
public record DatasetProfile(int total_examples, int avg_tokens_per_example, boolean is_multilingual,
                             boolean looks_like_json, boolean is_multi_turn) {
}
