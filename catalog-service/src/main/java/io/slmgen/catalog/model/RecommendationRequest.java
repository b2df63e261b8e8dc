package io.slmgen.catalog.model;

import jakarta.validation.constraints.NotNull;

/**
 * The body of {@code POST /api/recommendations} (SPEC §8.5). A missing dataset_id is refused before
 * anything else, as it always was (422 naming it); its form (a uuid) and the choices of task_type and
 * deployment_target are checked by the resource and the service, after the caller is known.
 */
public record RecommendationRequest(@NotNull(message = "dataset_id is required") String dataset_id,
                                    String task_type, String deployment_target) {
}
