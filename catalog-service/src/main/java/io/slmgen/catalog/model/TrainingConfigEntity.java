package io.slmgen.catalog.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.slmgen.shared.training.TrainingValues;

/**
 * A training_configs row (docs/SPEC.md §5) as Hibernate maps it; the table is Liquibase's
 * (catalog/003-training-configs.sql). Both timestamps are the database's clock, as they were with
 * hand-written SQL: on insert the columns' defaults, on update {@code current_timestamp}, both written
 * and re-read by the repository - Hibernate Reactive 3.2 fails reading generated non-id values back
 * from {@code returning} (a ClassCastException in insertAndSelectIdentifier), so no {@code @Generated}
 * here. The API renders {@link TrainingConfig}, never this class.
 */
@Entity
@Table(schema = "public", name = "training_configs")
public class TrainingConfigEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.UUID)
    public UUID id;
    @Column(name = "user_id", updatable = false)
    public UUID userId;
    public String name;
    public Boolean isDefault;
    @Column(name = "is_system", updatable = false)
    public Boolean isSystem;
    public Integer loraRank;
    public Integer loraAlpha;
    public Double loraDropout;
    public Double learningRate;
    public Integer numEpochs;
    public Integer batchSize;
    public Integer gradientAccumulationSteps;
    public Double warmupRatio;
    public Integer maxSeqLength;
    public String optimizer;
    public String scheduler;
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
    @Column(name = "updated_at", insertable = false, updatable = false)
    public OffsetDateTime updatedAt;

    /** Sets the run values a config carries. */
    public void setValues(TrainingValues v) {
        loraRank = v.lora_rank();
        loraAlpha = v.lora_alpha();
        loraDropout = v.lora_dropout();
        learningRate = v.learning_rate();
        numEpochs = v.num_epochs();
        batchSize = v.batch_size();
        gradientAccumulationSteps = v.gradient_accumulation_steps();
        warmupRatio = v.warmup_ratio();
        maxSeqLength = v.max_seq_length();
        optimizer = v.optimizer();
        scheduler = v.scheduler();
    }
}
