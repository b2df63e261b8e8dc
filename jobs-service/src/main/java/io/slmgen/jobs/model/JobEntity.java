package io.slmgen.jobs.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Immutable;

import io.slmgen.shared.db.RowJson;

/**
 * A jobs row as Hibernate Reactive maps it (changeset jobs: the seed's columns), for the finds and deletes
 * ({@code repository/JobEntityRepository}). Routes never answer it: {@link #toRecord()} is the {@link Job}
 * they send, so the JSON stays the row's. Read-only ({@link Immutable}: no dirty checking; removing it is
 * allowed): inserts and updates are hand-written ({@code repository/JobRepository} says why).
 * <p>
 * training_config is jsonb the owner can rewrite through /rest/v1 to any JSON value (an array, a string):
 * it is read as its text and decoded as the reactive client decodes jsonb ({@link RowJson#jsonbText}), because
 * Hibernate Reactive's JSON type only takes a JSON object.
 */
@Entity
@Immutable
@Table(schema = "public", name = "jobs")
public class JobEntity {

    @Id
    public UUID id;
    @Column(name = "user_id", nullable = false, updatable = false)
    public UUID userId;
    @Column(name = "session_id", nullable = false)
    public String sessionId;
    @Column(name = "dataset_filename", nullable = false)
    public String datasetFilename;
    @Column(name = "dataset_path", nullable = false)
    public String datasetPath;
    @Column(name = "total_examples", nullable = false)
    public int totalExamples;
    @Column(name = "total_tokens", nullable = false)
    public int totalTokens;
    @Column(name = "quality_score", nullable = false)
    public double qualityScore;
    @Column(name = "task_type", nullable = false)
    public String taskType;
    @Column(name = "deployment_target", nullable = false)
    public String deploymentTarget;
    @Column(name = "selected_model_id", nullable = false)
    public String selectedModelId;
    @Column(name = "selected_model_name", nullable = false)
    public String selectedModelName;
    @Column(name = "model_score", nullable = false)
    public double modelScore;
    /** The jsonb value's text (null for SQL null). */
    @Column(name = "training_config")
    @ColumnTransformer(read = "training_config::text")
    public String trainingConfig;
    public String notebookFilename;
    public String notebookPath;
    public String colabUrl;
    public String status;
    public OffsetDateTime createdAt;
    public OffsetDateTime updatedAt;

    /** The row as the routes send it. */
    public Job toRecord() {
        return new Job(id, userId, sessionId, datasetFilename, datasetPath, totalExamples, totalTokens, qualityScore,
                taskType, deploymentTarget, selectedModelId, selectedModelName, modelScore,
                RowJson.jsonbText(trainingConfig), notebookFilename, notebookPath, colabUrl, status,
                createdAt, updatedAt);
    }
}
