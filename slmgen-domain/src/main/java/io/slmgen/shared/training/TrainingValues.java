package io.slmgen.shared.training;

/**
 * The values a fine-tuning run uses: the columns of a training_configs row, and the
 * {@code training_config} JSONB of a job. Boxed so that a partial update or an override can leave a
 * value out (null = keep).
 */
public record TrainingValues(Integer lora_rank, Integer lora_alpha, Double lora_dropout, Double learning_rate,
                             Integer num_epochs, Integer batch_size, Integer gradient_accumulation_steps,
                             Double warmup_ratio, Integer max_seq_length, String optimizer, String scheduler) {

    /** The seed's column defaults. */
    public static final TrainingValues DEFAULTS = new TrainingValues(16, 32, 0.05, 2e-4, 3, 4, 4, 0.03, 2048,
            "adamw_8bit", "linear");

    /** These values with every non-null value of {@code o} laid over them. */
    public TrainingValues with(TrainingValues o) {
        if (o == null) {
            return this;
        }
        return new TrainingValues(
                o.lora_rank != null ? o.lora_rank : lora_rank,
                o.lora_alpha != null ? o.lora_alpha : lora_alpha,
                o.lora_dropout != null ? o.lora_dropout : lora_dropout,
                o.learning_rate != null ? o.learning_rate : learning_rate,
                o.num_epochs != null ? o.num_epochs : num_epochs,
                o.batch_size != null ? o.batch_size : batch_size,
                o.gradient_accumulation_steps != null ? o.gradient_accumulation_steps : gradient_accumulation_steps,
                o.warmup_ratio != null ? o.warmup_ratio : warmup_ratio,
                o.max_seq_length != null ? o.max_seq_length : max_seq_length,
                o.optimizer != null ? o.optimizer : optimizer,
                o.scheduler != null ? o.scheduler : scheduler);
    }
}
