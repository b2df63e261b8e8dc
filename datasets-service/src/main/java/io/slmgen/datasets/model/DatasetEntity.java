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
    public UUID userId;
    public UUID jobId;
    public String filename;
    public String storagePath;
    public Integer fileSize;
    public Integer totalExamples;
    public Integer totalTokens;
    public Integer avgTokensPerExample;
    public Double qualityScore;
    public Double singleTurnPct;
    public Double multiTurnPct;
    public Boolean hasSystemPrompts;
    /** jsonb, as JSON text. */
    @Column(name = "quality_issues")
    @ColumnTransformer(read = "cast(quality_issues as text)", write = JSON_IN)
    public String qualityIssues;
    public Boolean isMultilingual;
    public Boolean looksLikeJson;
    public Boolean isMultiTurn;
    public OffsetDateTime createdAt;
    public Integer avgResponseLength;
    public String dominantLanguage;
    public Integer invalidLines;
    /** jsonb, as JSON text. */
    @Column(name = "invalid_samples")
    @ColumnTransformer(read = "cast(invalid_samples as text)", write = JSON_IN)
    public String invalidSamples;
    public String sessionId;
    public UUID allocatedJobId;
    public Long tokenizerTokens;
    public Boolean ownerIsAnonymous;
    public OffsetDateTime expiresAt;
    public String selectedTask;
    public String selectedTarget;
    public String selectedModelId;
    /** jsonb, as JSON text. */
    @Column(name = "last_scores")
    @ColumnTransformer(read = "cast(last_scores as text)", write = JSON_IN)
    public String lastScores;
    public Integer duplicateCount;
    /** jsonb, as JSON text. */
    @Column(name = "duplicate_examples")
    @ColumnTransformer(read = "cast(duplicate_examples as text)", write = JSON_IN)
    public String duplicateExamples;
}
