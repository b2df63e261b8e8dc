package io.slmgen.jobs.notebook;

import java.util.UUID;

import io.slmgen.shared.training.TrainingValues;

/**
 * Everything a notebook is rendered from. Exactly one of {@code datasetUrl} and {@code datasetEmbedded}
 * is set. {@code eventsUrl}/{@code jobSecret} are null when no public base URL is configured: the
 * notebook then keeps its progress callback switched off.
 */
public record NotebookSpec(UUID jobId, String modelName, String catalogModelId, String unslothModelId,
                           String chatTemplate, boolean loadIn4bit, boolean gated, String taskType,
                           String deploymentTarget, TrainingValues training, String datasetFilename,
                           long totalExamples, Integer estimatedMinutes, String datasetUrl, byte[] datasetEmbedded,
                           String eventsUrl, String jobSecret) {

    public NotebookSpec {
        if ((datasetUrl == null) == (datasetEmbedded == null)) {
            throw new IllegalArgumentException("exactly one of datasetUrl and datasetEmbedded is required");
        }
    }

    public boolean reportsProgress() {
        return eventsUrl != null && jobSecret != null;
    }
}
