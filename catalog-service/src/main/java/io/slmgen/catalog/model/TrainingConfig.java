package io.slmgen.catalog.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.slmgen.shared.db.RowTimestamp;
import io.slmgen.shared.training.TrainingValues;

/**
 * A training_configs row (SPEC §5), as the API returns it: the components are the table's columns in
 * its order (the JSON's order), every column nullable as in the seed's DDL, timestamps in PostgREST's
 * format.
 */
@RegisterForReflection
public record TrainingConfig(UUID id, UUID user_id, String name, Boolean is_default, Boolean is_system,
                             Integer lora_rank, Integer lora_alpha, Double lora_dropout, Double learning_rate,
                             Integer num_epochs, Integer batch_size, Integer gradient_accumulation_steps,
                             Double warmup_ratio, Integer max_seq_length, String optimizer, String scheduler,
                             @JsonSerialize(using = RowTimestamp.class) OffsetDateTime created_at,
                             @JsonSerialize(using = RowTimestamp.class) OffsetDateTime updated_at) {

    public static TrainingConfig of(TrainingConfigEntity e) {
        return new TrainingConfig(e.id, e.userId, e.name, e.isDefault, e.isSystem, e.loraRank, e.loraAlpha,
                e.loraDropout, e.learningRate, e.numEpochs, e.batchSize, e.gradientAccumulationSteps, e.warmupRatio,
                e.maxSeqLength, e.optimizer, e.scheduler, e.createdAt, e.updatedAt);
    }

    /** The values a run would use (what an update merges its changes into). */
    @JsonIgnore
    public TrainingValues values() {
        return new TrainingValues(lora_rank, lora_alpha, lora_dropout, learning_rate, num_epochs, batch_size,
                gradient_accumulation_steps, warmup_ratio, max_seq_length, optimizer, scheduler);
    }

    /** A system preset (Fast, Balanced, Quality): nobody may change it. */
    @JsonIgnore
    public boolean preset() {
        return Boolean.TRUE.equals(is_system);
    }
}
