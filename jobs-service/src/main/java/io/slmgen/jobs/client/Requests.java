package io.slmgen.jobs.client;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The bodies jobs-service sends to the other services (their JSON field names). */
public final class Requests {

    private Requests() {
    }

    /** catalog-service {@code POST /api/recommendations}: rank the catalog for this dataset and use. */
    public record Recommend(@JsonProperty("dataset_id") String datasetId, @JsonProperty("task_type") String taskType,
                            @JsonProperty("deployment_target") String deploymentTarget) {
    }

    /** catalog-service {@code POST /api/models/validate}: is this Hugging Face id a model Unsloth can fine-tune. */
    public record ValidateModel(@JsonProperty("model_id") String modelId) {
    }

    /** datasets-service {@code PUT /api/datasets/{id}/job}: the dataset's job. */
    public record LinkJob(@JsonProperty("job_id") String jobId) {
    }

    /** storage-api {@code POST /object/sign/...}: seconds the link stays valid. */
    public record Sign(int expiresIn) {
    }
}
