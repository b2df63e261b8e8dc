package io.slmgen.catalog.recommend;

import java.util.List;

import io.slmgen.catalog.model.CatalogModel;

/** A model with its score (0–100) and up to four reasons. */
public record ScoredModel(CatalogModel model, int score, List<String> reasons, int estimated_training_minutes) {
}
