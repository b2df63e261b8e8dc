package io.slmgen.catalog.rest;

/** SLMGEN v1's RecommendRequest. */
public record SlmgenRecommendRequest(String session_id, String task, String deployment) {
}
