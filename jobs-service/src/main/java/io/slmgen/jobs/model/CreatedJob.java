package io.slmgen.jobs.model;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A job just created (or regenerated): its row, then the signed notebook link and the job's secret -
 * shown this once, only its HMAC is stored. The JSON is the row's keys followed by these two
 * (POST /api/jobs, docs/SPEC.md §7); a regeneration has no {@code notebook_url} (null, never sent).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreatedJob(@JsonUnwrapped Job job,
                         String notebookUrl,
                         String jobSecret) {
}
