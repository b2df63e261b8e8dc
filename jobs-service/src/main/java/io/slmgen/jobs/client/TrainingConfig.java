package io.slmgen.jobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.slmgen.shared.training.TrainingValues;

/**
 * A training_configs row as catalog-service resolves it (GET /api/training-configs/resolve): its id and
 * name (recorded in the job's training_config) and its values; the other columns are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainingConfig(
        String id,
        String name,
        @JsonProperty("lora_rank") Integer loraRank,
        @JsonProperty("lora_alpha") Integer loraAlpha,
        @JsonProperty("lora_dropout") Double loraDropout,
        @JsonProperty("learning_rate") Double learningRate,
        @JsonProperty("num_epochs") Integer numEpochs,
        @JsonProperty("batch_size") Integer batchSize,
        @JsonProperty("gradient_accumulation_steps") Integer gradientAccumulationSteps,
        @JsonProperty("warmup_ratio") Double warmupRatio,
        @JsonProperty("max_seq_length") Integer maxSeqLength,
        String optimizer,
        String scheduler) {

    /** The row's values (null where it has none: the defaults fill them). */
    public TrainingValues values() {
        return new TrainingValues(loraRank, loraAlpha, loraDropout, learningRate, numEpochs, batchSize,
                gradientAccumulationSteps, warmupRatio, maxSeqLength, optimizer, scheduler);
    }
}
