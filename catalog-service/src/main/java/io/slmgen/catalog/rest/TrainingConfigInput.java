package io.slmgen.catalog.rest;

import io.slmgen.shared.training.TrainingValues;

/** A training config as a client sends it; every field optional (defaults or current values fill gaps). */
public record TrainingConfigInput(String name, Boolean is_default, Integer lora_rank, Integer lora_alpha,
                                  Double lora_dropout, Double learning_rate, Integer num_epochs, Integer batch_size,
                                  Integer gradient_accumulation_steps, Double warmup_ratio, Integer max_seq_length,
                                  String optimizer, String scheduler) {

    public TrainingValues values() {
        return new TrainingValues(lora_rank, lora_alpha, lora_dropout, learning_rate, num_epochs, batch_size,
                gradient_accumulation_steps, warmup_ratio, max_seq_length, optimizer, scheduler);
    }
}
