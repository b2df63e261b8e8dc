package io.slmgen.shared.training;

import java.util.List;
import java.util.Set;

import io.slmgen.shared.error.ApiError;

/**
 * What a training value may be (SPEC §5). Used for training configs and for a job's overrides alike,
 * so both reject the same things with the same 422 naming the field.
 */
public final class TrainingRules {

    public static final List<Integer> RANKS = List.of(4, 8, 16, 32, 64, 128);
    public static final Set<String> OPTIMIZERS = Set.of("adamw_8bit", "adamw_torch", "adamw_torch_fused",
            "paged_adamw_8bit", "paged_adamw_32bit", "adafactor", "sgd");
    public static final Set<String> SCHEDULERS = Set.of("linear", "cosine", "cosine_with_restarts", "polynomial",
            "constant", "constant_with_warmup");

    private TrainingRules() {
    }

    /** Checks every non-null value; the first violation is a 422 naming its field. */
    public static void check(TrainingValues v) {
        if (v == null) {
            return;
        }
        if (v.lora_rank() != null && !RANKS.contains(v.lora_rank())) {
            throw ApiError.VALIDATION_FAILED.exception("lora_rank must be one of " + RANKS).field("lora_rank");
        }
        range("lora_alpha", v.lora_alpha(), 1, 512);
        if (v.lora_dropout() != null && !(v.lora_dropout() >= 0 && v.lora_dropout() <= 0.5)) {
            throw ApiError.VALIDATION_FAILED.exception("lora_dropout must be between 0 and 0.5").field("lora_dropout");
        }
        if (v.learning_rate() != null && !(v.learning_rate() > 0 && v.learning_rate() < 1)) {
            throw ApiError.VALIDATION_FAILED.exception("learning_rate must be greater than 0 and less than 1").field("learning_rate");
        }
        range("num_epochs", v.num_epochs(), 1, 50);
        range("batch_size", v.batch_size(), 1, 128);
        range("gradient_accumulation_steps", v.gradient_accumulation_steps(), 1, 256);
        if (v.warmup_ratio() != null && !(v.warmup_ratio() >= 0 && v.warmup_ratio() <= 0.5)) {
            throw ApiError.VALIDATION_FAILED.exception("warmup_ratio must be between 0 and 0.5").field("warmup_ratio");
        }
        range("max_seq_length", v.max_seq_length(), 128, 131072);
        if (v.optimizer() != null && !OPTIMIZERS.contains(v.optimizer())) {
            throw ApiError.VALIDATION_FAILED.exception("optimizer must be one of " + sorted(OPTIMIZERS)).field("optimizer");
        }
        if (v.scheduler() != null && !SCHEDULERS.contains(v.scheduler())) {
            throw ApiError.VALIDATION_FAILED.exception("scheduler must be one of " + sorted(SCHEDULERS)).field("scheduler");
        }
    }

    private static void range(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw ApiError.VALIDATION_FAILED.exception(field + " must be between " + min + " and " + max).field(field);
        }
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
