package io.slmgen.catalog.model;

import jakarta.validation.constraints.NotNull;

import com.fasterxml.jackson.annotation.JsonIgnore;

import io.slmgen.shared.training.TrainingValues;

/**
 * The body of {@code POST /api/training-configs}: a name, and any values (the seed's defaults fill the
 * rest). The name's presence is declared here; the value rules are slmgen-domain's {@code TrainingRules}
 * (shared with a job's overrides, and checked in their fixed order so a body with several bad values
 * always names the same one); a blank, long or control-character name is checked by the service.
 */
public record NewTrainingConfig(@NotNull(message = "name must not be empty") String name, Boolean is_default,
                                Integer lora_rank, Integer lora_alpha, Double lora_dropout, Double learning_rate,
                                Integer num_epochs, Integer batch_size, Integer gradient_accumulation_steps,
                                Double warmup_ratio, Integer max_seq_length, String optimizer, String scheduler) {

    @JsonIgnore
    public TrainingValues values() {
        return new TrainingValues(lora_rank, lora_alpha, lora_dropout, learning_rate, num_epochs, batch_size,
                gradient_accumulation_steps, warmup_ratio, max_seq_length, optimizer, scheduler);
    }
}
