package io.slmgen.jobs.client;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The bodies jobs-service sends to the other services (their JSON field names). */
public final class Requests {

    private Requests() {
    }

    /** catalog-service {@code POST /api/recommendations}: rank the catalog for this dataset and use. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Recommend(String datasetId, String taskType,
                            String deploymentTarget) {
    }

    /** catalog-service {@code POST /api/models/validate}: is this Hugging Face id a model Unsloth can fine-tune. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ValidateModel(String modelId) {
    }

    /** datasets-service {@code PUT /api/datasets/{id}/job}: the dataset's job. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record LinkJob(String jobId) {
    }

    /** storage-api {@code POST /object/sign/...}: seconds the link stays valid. */
    public record Sign(int expiresIn) {
    }
}
