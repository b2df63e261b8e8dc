package io.slmgen.jobs.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.slmgen.shared.db.RowJson;
import io.slmgen.shared.db.RowTimestamp;
import io.vertx.mutiny.sqlclient.Row;

/**
 * A jobs row (the seed's columns, docs/SPEC.md §7) as the repository returns it and the routes answer
 * it: the JSON keys are the column names, in the table's order, nulls included, timestamps as PostgREST
 * writes them ({@link RowTimestamp}). training_config is jsonb the owner can rewrite (PostgREST), so it
 * stays whatever JSON value the row holds.
 */
@JsonPropertyOrder({"id", "user_id", "session_id", "dataset_filename", "dataset_path", "total_examples", "total_tokens",
        "quality_score", "task_type", "deployment_target", "selected_model_id", "selected_model_name", "model_score",
        "training_config", "notebook_filename", "notebook_path", "colab_url", "status", "created_at", "updated_at"})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Job(
        UUID id,
        UUID userId,
        String sessionId,
        String datasetFilename,
        String datasetPath,
        int totalExamples,
        int totalTokens,
        double qualityScore,
        String taskType,
        String deploymentTarget,
        String selectedModelId,
        String selectedModelName,
        double modelScore,
        /** jsonb: a JSON object as a Map in practice, but any JSON value a client stored. */
        Object trainingConfig,
        String notebookFilename,
        String notebookPath,
        String colabUrl,
        String status,
        @JsonSerialize(using = RowTimestamp.class) OffsetDateTime createdAt,
        @JsonSerialize(using = RowTimestamp.class) OffsetDateTime updatedAt) {

    /** The row of a statement that selected {@code JobRepository.COLUMNS}. */
    public static Job of(Row r) {
        return new Job(r.getUUID("id"), r.getUUID("user_id"), r.getString("session_id"), r.getString("dataset_filename"),
                r.getString("dataset_path"), r.getInteger("total_examples"), r.getInteger("total_tokens"),
                r.getDouble("quality_score"), r.getString("task_type"), r.getString("deployment_target"),
                r.getString("selected_model_id"), r.getString("selected_model_name"), r.getDouble("model_score"),
                RowJson.value(r.getValue("training_config")), r.getString("notebook_filename"), r.getString("notebook_path"),
                r.getString("colab_url"), r.getString("status"), r.getOffsetDateTime("created_at"),
                r.getOffsetDateTime("updated_at"));
    }

    /** The training config's entries when it is a JSON object (as this service writes it), else none. */
    public java.util.Map<?, ?> trainingConfigObject() {
        return trainingConfig instanceof java.util.Map<?, ?> m ? m : java.util.Map.of();
    }
}
