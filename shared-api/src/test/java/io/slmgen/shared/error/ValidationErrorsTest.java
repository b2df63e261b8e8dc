package io.slmgen.shared.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

class ValidationErrorsTest {

    record Inner(@JsonProperty("base_model") @NotBlank(message = "base_model is required") String baseModel) {
    }

    record Request(@JsonProperty("task_type") @NotNull String taskType,
                   @Size(max = 3) String name,
                   List<@Valid Inner> inners) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SnakeCaseRequest(@NotNull String datasetId, @JsonProperty("is_default") @NotNull Boolean isDefault) {
    }

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    @Test
    void aViolationIsTheSameErrorAsTheHandWrittenCheck() {
        ApiException e = ValidationErrors.toApiException(VALIDATOR.validate(new Request(null, "ok", List.of())));
        assertEquals(422, e.status());
        assertEquals("validation_failed", e.code());
        assertEquals("task_type", e.field(), "the JSON name, not the Java one");
        assertEquals("task_type must not be null", e.getMessage(), "a default message names its field");
    }

    @Test
    void theFirstFieldByNameIsReportedSoTheAnswerIsStable() {
        ApiException e = ValidationErrors.toApiException(VALIDATOR.validate(new Request(null, "long", List.of())));
        assertEquals("name", e.field());
        assertEquals("name size must be between 0 and 3", e.getMessage());
    }

    @Test
    void nestedFieldsArePathsAndOwnMessagesStayAsWritten() {
        ApiException e = ValidationErrors.toApiException(
                VALIDATOR.validate(new Request("qa", "ok", List.of(new Inner(" ")))));
        assertEquals("inners.base_model", e.field());
        assertEquals("base_model is required", e.getMessage());
    }

    @Test
    void aRecordNamedByItsSnakeCaseRuleIsNamedAsItsJson() {
        assertEquals("dataset_id", ValidationErrors.toApiException(VALIDATOR.validate(new SnakeCaseRequest(null, true))).field());
        assertEquals("is_default", ValidationErrors.toApiException(VALIDATOR.validate(new SnakeCaseRequest("d", null))).field());
    }

    @Test
    void noViolationsStillGivesAClientError() {
        assertEquals(422, ValidationErrors.toApiException(java.util.Set.of()).status());
    }
}
