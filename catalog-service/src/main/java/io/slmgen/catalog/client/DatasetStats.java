package io.slmgen.catalog.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.slmgen.catalog.recommend.DatasetProfile;

/**
 * What catalog reads of a datasets-service dataset (SPEC §2 names): its id and the stats SLMGEN's scoring
 * uses (SPEC §8.5). The rest of the row is ignored. A stat not computed yet (null) counts as 0 / false.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record DatasetStats(String id, Integer total_examples, Integer avg_tokens_per_example, Boolean is_multilingual,
                           Boolean looks_like_json, Boolean is_multi_turn) {

    public DatasetProfile profile() {
        return new DatasetProfile(total_examples == null ? 0 : total_examples,
                avg_tokens_per_example == null ? 0 : avg_tokens_per_example, Boolean.TRUE.equals(is_multilingual),
                Boolean.TRUE.equals(looks_like_json), Boolean.TRUE.equals(is_multi_turn));
    }
}
