package io.slmgen.jobs.model;

import java.util.UUID;

import io.vertx.core.json.JsonObject;

/** The values of a new jobs row (JobRepository.insert: the seed's columns; status and timestamps take their defaults). */
public record NewJob(UUID id, UUID userId, String sessionId, String datasetFilename, String datasetPath,
                     int totalExamples, int totalTokens, double qualityScore, String taskType,
                     String deploymentTarget, String selectedModelId, String selectedModelName, double modelScore,
                     JsonObject trainingConfig, String notebookFilename, String notebookPath, String colabUrl) {
}
