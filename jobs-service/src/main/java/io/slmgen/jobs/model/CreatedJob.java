package io.slmgen.jobs.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * A job just created (or regenerated): its row, then the signed notebook link and the job's secret -
 * shown this once, only its HMAC is stored. The JSON is the row's keys followed by these two
 * (POST /api/jobs, docs/SPEC.md §7); a regeneration has no {@code notebook_url} (null, never sent).
 */
public record CreatedJob(@JsonUnwrapped Job job,
                         @JsonProperty("notebook_url") String notebookUrl,
                         @JsonProperty("job_secret") String jobSecret) {
}
