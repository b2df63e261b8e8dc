package io.slmgen.jobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.slmgen.shared.training.TrainingValues;

/**
 * A training_configs row as catalog-service resolves it (GET /api/training-configs/resolve): its id and
 * name (recorded in the job's training_config) and its values; the other columns are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainingConfig(
        String id,
        String name,
        Integer loraRank,
        Integer loraAlpha,
        Double loraDropout,
        Double learningRate,
        Integer numEpochs,
        Integer batchSize,
        Integer gradientAccumulationSteps,
        Double warmupRatio,
        Integer maxSeqLength,
        String optimizer,
        String scheduler) {

    /** The row's values (null where it has none: the defaults fill them). */
    public TrainingValues values() {
        return new TrainingValues(loraRank, loraAlpha, loraDropout, learningRate, numEpochs, batchSize,
                gradientAccumulationSteps, warmupRatio, maxSeqLength, optimizer, scheduler);
    }
}
