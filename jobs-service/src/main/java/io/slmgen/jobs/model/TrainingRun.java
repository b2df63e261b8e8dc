package io.slmgen.jobs.model;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A job_training_runs row: what SLMGEN's {@code /training/start} declared for a job (changeset
 * job-training). Read only to compute the session's status; never sent as it is.
 */
public record TrainingRun(UUID jobId, int totalSteps, int totalEpochs, String modelId, OffsetDateTime startedAt) {
}
