package io.slmgen.jobs.model;

import java.util.UUID;

import io.vertx.core.json.JsonObject;

/** The values of a new jobs row (the seed's columns; status and timestamps take their defaults). */
public record NewJob(UUID id, UUID userId, String sessionId, String datasetFilename, String datasetPath,
                     int totalExamples, int totalTokens, double qualityScore, String taskType,
                     String deploymentTarget, String selectedModelId, String selectedModelName, double modelScore,
                     JsonObject trainingConfig, String notebookFilename, String notebookPath, String colabUrl) {

    /** The entity to persist; status is the column's default ('created'), the timestamps PostgreSQL's now(). */
    public JobEntity toEntity() {
        JobEntity e = new JobEntity();
        e.id = id;
        e.userId = userId;
        e.sessionId = sessionId;
        e.datasetFilename = datasetFilename;
        e.datasetPath = datasetPath;
        e.totalExamples = totalExamples;
        e.totalTokens = totalTokens;
        e.qualityScore = qualityScore;
        e.taskType = taskType;
        e.deploymentTarget = deploymentTarget;
        e.selectedModelId = selectedModelId;
        e.selectedModelName = selectedModelName;
        e.modelScore = modelScore;
        e.trainingConfig = JsonbText.encode(trainingConfig);
        e.notebookFilename = notebookFilename;
        e.notebookPath = notebookPath;
        e.colabUrl = colabUrl;
        e.status = "created";
        return e;
    }
}
