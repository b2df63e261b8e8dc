package io.slmgen.catalog.rest;

public record RecommendationRequest(String dataset_id, String task_type, String deployment_target) {
}
