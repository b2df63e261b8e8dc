package io.slmgen.datasets.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.DynamicUpdate;

/**
 * public.datasets as Hibernate maps it (changesets datasets, slmgen-sessions, client-rows, docs/SPEC.md §6),
 * for the reads and single-row updates that go through Panache ({@code DatasetRepository}). Rows are
 * inserted by hand-written SQL only (see {@code DatasetRepository.insert}), so nothing here is generated.
 * <p>
 * The jsonb columns are read and written as their JSON text: Hibernate Reactive's JSON type reads every
 * jsonb value as a Vert.x {@code JsonObject} and fails on arrays (three of these four columns hold arrays),
 * so the text is converted in SQL ({@code ::text} / {@code ::jsonb}) and parsed by {@link Dataset#of}
 * exactly as the reactive client parses jsonb. {@link DynamicUpdate}: an update names only the columns
 * it changes, so a service_role update never rewrites what the caller's insert wrote.
 */
@Entity
@Table(schema = "public", name = "datasets")
@DynamicUpdate
public class DatasetEntity {

    static final String JSON_IN = "cast(cast(? as text) as jsonb)";

    @Id
    public UUID id;
    @Column(name = "user_id")
    public UUID userId;
    @Column(name = "job_id")
    public UUID jobId;
    public String filename;
    @Column(name = "storage_path")
    public String storagePath;
    @Column(name = "file_size")
    public Integer fileSize;
    @Column(name = "total_examples")
    public Integer totalExamples;
    @Column(name = "total_tokens")
    public Integer totalTokens;
    @Column(name = "avg_tokens_per_example")
    public Integer avgTokensPerExample;
    @Column(name = "quality_score")
    public Double qualityScore;
    @Column(name = "single_turn_pct")
    public Double singleTurnPct;
    @Column(name = "multi_turn_pct")
    public Double multiTurnPct;
    @Column(name = "has_system_prompts")
    public Boolean hasSystemPrompts;
    /** jsonb, as JSON text. */
    @Column(name = "quality_issues")
    @ColumnTransformer(read = "cast(quality_issues as text)", write = JSON_IN)
    public String qualityIssues;
    @Column(name = "is_multilingual")
    public Boolean isMultilingual;
    @Column(name = "looks_like_json")
    public Boolean looksLikeJson;
    @Column(name = "is_multi_turn")
    public Boolean isMultiTurn;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "avg_response_length")
    public Integer avgResponseLength;
    @Column(name = "dominant_language")
    public String dominantLanguage;
    @Column(name = "invalid_lines")
    public Integer invalidLines;
    /** jsonb, as JSON text. */
    @Column(name = "invalid_samples")
    @ColumnTransformer(read = "cast(invalid_samples as text)", write = JSON_IN)
    public String invalidSamples;
    @Column(name = "session_id")
    public String sessionId;
    @Column(name = "allocated_job_id")
    public UUID allocatedJobId;
    @Column(name = "tokenizer_tokens")
    public Long tokenizerTokens;
    @Column(name = "owner_is_anonymous")
    public Boolean ownerIsAnonymous;
    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;
    @Column(name = "selected_task")
    public String selectedTask;
    @Column(name = "selected_target")
    public String selectedTarget;
    @Column(name = "selected_model_id")
    public String selectedModelId;
    /** jsonb, as JSON text. */
    @Column(name = "last_scores")
    @ColumnTransformer(read = "cast(last_scores as text)", write = JSON_IN)
    public String lastScores;
    @Column(name = "duplicate_count")
    public Integer duplicateCount;
    /** jsonb, as JSON text. */
    @Column(name = "duplicate_examples")
    @ColumnTransformer(read = "cast(duplicate_examples as text)", write = JSON_IN)
    public String duplicateExamples;
}
