package io.slmgen.jobs.rest;

import io.slmgen.shared.training.TrainingValues;

/** Body of POST /api/jobs. */
public record CreateJobInput(String dataset_id, String task_type, String deployment_target, String model_id,
                             String training_config_id, TrainingValues overrides) {
}
