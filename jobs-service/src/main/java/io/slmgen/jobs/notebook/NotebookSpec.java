package io.slmgen.jobs.notebook;

import java.util.UUID;

import io.slmgen.shared.training.TrainingValues;

/**
 * Everything a notebook is rendered from. Exactly one of {@code datasetUrl} and {@code datasetEmbedded}
 * is set. {@code eventsUrl}/{@code jobSecret} are null when no public base URL is configured: the
 * notebook then keeps its progress callback switched off. {@code model} carries the architecture and size
 * ({@link ModelTraits#UNKNOWN} when nothing is known); {@code estimatedMinutes} null = estimate from the size.
 */
public record NotebookSpec(UUID jobId, String modelName, String catalogModelId, String unslothModelId,
                           String chatTemplate, boolean loadIn4bit, boolean gated, String taskType,
                           String deploymentTarget, TrainingValues training, String datasetFilename,
                           long totalExamples, Integer estimatedMinutes, String datasetUrl, byte[] datasetEmbedded,
                           String eventsUrl, String jobSecret, ModelTraits model) {

    public NotebookSpec {
        if ((datasetUrl == null) == (datasetEmbedded == null)) {
            throw new IllegalArgumentException("exactly one of datasetUrl and datasetEmbedded is required");
        }
        if (model == null) {
            model = ModelTraits.UNKNOWN;
        }
    }

    /** A spec for a model of which nothing beyond how to load it is known. */
    public NotebookSpec(UUID jobId, String modelName, String catalogModelId, String unslothModelId,
                        String chatTemplate, boolean loadIn4bit, boolean gated, String taskType,
                        String deploymentTarget, TrainingValues training, String datasetFilename,
                        long totalExamples, Integer estimatedMinutes, String datasetUrl, byte[] datasetEmbedded,
                        String eventsUrl, String jobSecret) {
        this(jobId, modelName, catalogModelId, unslothModelId, chatTemplate, loadIn4bit, gated, taskType, deploymentTarget,
                training, datasetFilename, totalExamples, estimatedMinutes, datasetUrl, datasetEmbedded, eventsUrl, jobSecret,
                ModelTraits.UNKNOWN);
    }

    /** The given estimate, else SLMGEN's from the model's size (null when the size is unknown too). */
    public Integer minutes() {
        return estimatedMinutes != null ? estimatedMinutes : SizeRules.trainingMinutes(model, totalExamples);
    }

    /** The job's sequence length, capped at the model's context window when that is known and smaller. */
    public int maxSeqLength() {
        int asked = training.max_seq_length();
        return model.contextWindow() != null && model.contextWindow() < asked ? model.contextWindow() : asked;
    }

    public boolean reportsProgress() {
        return eventsUrl != null && jobSecret != null;
    }
}
