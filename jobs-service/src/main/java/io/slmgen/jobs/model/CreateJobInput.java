package io.slmgen.jobs.model;

import jakarta.validation.GroupSequence;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.slmgen.shared.training.TrainingValues;

/**
 * Body of POST /api/jobs (docs/SPEC.md §7), bound by Jackson. The rules are declared here; the service
 * checks them after the caller is known (no token is a 401 before any 422) and one step at a time, in
 * the order the answers have always come in, so the first fault of a body is the one reported:
 * {@link Steps#DATASET}, then dataset_id's UUID form (a 400 invalid_id, still checked by hand: Bean
 * Validation answers only 422), {@link Steps#DESCRIBED}, training_config_id's UUID form, then
 * {@link Steps#MODEL}. The training overrides are checked by TrainingRules, as everywhere else.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreateJobInput(
        @NotNull(message = "dataset_id is required", groups = Steps.Dataset.class)
        String datasetId,
        @NotNull(message = "task_type is required", groups = Steps.Task.class)
        @Pattern(regexp = NOT_BLANK, message = "task_type is required", groups = Steps.Task.class)
        String taskType,
        @NotNull(message = "deployment_target is required", groups = Steps.Target.class)
        @Pattern(regexp = NOT_BLANK, message = "deployment_target is required", groups = Steps.Target.class)
        String deploymentTarget,
        /** A catalog model id or a Hugging Face id; absent means the recommendation's first. */
        @Pattern(regexp = NOT_BLANK, message = "model_id must be a catalog model id", groups = Steps.Model.class)
        String modelId,
        String trainingConfigId,
        TrainingValues overrides) {

    /** Some character that is not whitespace as {@link String#isBlank()} counts it ({@code \p{javaWhitespace}}). */
    static final String NOT_BLANK = "(?s).*[^\\p{javaWhitespace}].*";

    /** The validation groups, checked one after the other by the service. */
    public interface Steps {
        interface Dataset {
        }

        interface Task {
        }

        interface Target {
        }

        interface Model {
        }

        /** task_type before deployment_target (a sequence stops at its first failing group). */
        @GroupSequence({Task.class, Target.class})
        interface Described {
        }

        Class<?> DATASET = Dataset.class;
        Class<?> DESCRIBED = Described.class;
        Class<?> MODEL = Model.class;
    }
}
