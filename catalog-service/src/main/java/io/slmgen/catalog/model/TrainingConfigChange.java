package io.slmgen.catalog.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

import io.slmgen.shared.training.TrainingValues;

/**
 * The body of {@code PUT} and {@code PATCH /api/training-configs/{id}}: both are partial (SPEC §5), every
 * field optional and an absent one keeps its value. The values are checked by {@code TrainingRules} before
 * the name, as they always were, so this record declares no constraint of its own.
 */
public record TrainingConfigChange(String name, Boolean is_default, Integer lora_rank, Integer lora_alpha,
                                   Double lora_dropout, Double learning_rate, Integer num_epochs, Integer batch_size,
                                   Integer gradient_accumulation_steps, Double warmup_ratio, Integer max_seq_length,
                                   String optimizer, String scheduler) {

    @JsonIgnore
    public TrainingValues values() {
        return new TrainingValues(lora_rank, lora_alpha, lora_dropout, learning_rate, num_epochs, batch_size,
                gradient_accumulation_steps, warmup_ratio, max_seq_length, optimizer, scheduler);
    }
}
