package io.slmgen.catalog.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.slmgen.shared.db.RowTimestamp;
import io.slmgen.shared.training.TrainingValues;
import io.vertx.mutiny.sqlclient.Row;

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

    /** The columns {@link #of} reads, in the record's order. */
    public static final String COLUMNS = "id, user_id, name, is_default, is_system, lora_rank, lora_alpha, "
            + "lora_dropout, learning_rate, num_epochs, batch_size, gradient_accumulation_steps, warmup_ratio, "
            + "max_seq_length, optimizer, scheduler, created_at, updated_at";

    public static TrainingConfig of(Row r) {
        return new TrainingConfig(r.getUUID("id"), r.getUUID("user_id"), r.getString("name"),
                r.getBoolean("is_default"), r.getBoolean("is_system"), r.getInteger("lora_rank"),
                r.getInteger("lora_alpha"), r.getDouble("lora_dropout"), r.getDouble("learning_rate"),
                r.getInteger("num_epochs"), r.getInteger("batch_size"), r.getInteger("gradient_accumulation_steps"),
                r.getDouble("warmup_ratio"), r.getInteger("max_seq_length"), r.getString("optimizer"),
                r.getString("scheduler"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
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
