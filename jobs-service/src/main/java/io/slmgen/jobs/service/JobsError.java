package io.slmgen.jobs.service;

import io.slmgen.shared.error.ErrorCode;

/**
 * jobs-service's own codes (docs/SPEC.md §7, §15): job lifecycle, the runner's job secret and the
 * objects a job needs. Shared failures (not_found, validation_failed, bad_gateway, ...) come from
 * {@link io.slmgen.shared.error.ApiError}.
 */
public enum JobsError implements ErrorCode {
    INVALID_LAST_EVENT_ID(400, "invalid_last_event_id", "Last-Event-ID must be a whole number of 0 or more"),
    INVALID_MODEL(400, "invalid_model", "Invalid model_id."),
    NO_FIELDS(400, "no_fields", "No update fields provided"),
    NO_MODEL(400, "no_model", "No model selected. Please get a recommendation first."),
    INVALID_JOB_SECRET(401, "invalid_job_secret", "the job secret is not valid for this job"),
    MISSING_JOB_SECRET(401, "missing_job_secret", "X-Job-Secret header required"),
    DATASET_HAS_JOB(409, "dataset_has_job", "the dataset already has a job"),
    DATASET_OBJECT_INVALID(409, "dataset_object_invalid",
            "the dataset's storage_path must name a file in your own folder: {user_id}/{path of the file}"),
    DATASET_OBJECT_MISSING(409, "dataset_object_missing", "the dataset's file is missing from storage"),
    ILLEGAL_TRANSITION(409, "illegal_transition", "the job's status cannot change that way"),
    JOB_FINISHED(409, "job_finished", "the job is already finished"),
    NOTEBOOK_TOO_LARGE(409, "notebook_too_large",
            "the stored notebook is larger than any notebook this service writes"),
    OBJECT_MISSING(409, "object_missing", "the object is missing from storage"),
    EVENT_TOO_LARGE(413, "event_too_large", "the event is too large"),
    /** Another service's 4xx, relayed with its own status (see the client package). */
    UPSTREAM_REJECTED(400, "upstream_rejected", "another service rejected the request"),
    CREATION_TIMED_OUT(503, "creation_timed_out", "creating the job took too long; it was undone");

    private final Entry entry;

    JobsError(int status, String code, String defaultMessage) {
        this.entry = Entry.of(status, code, defaultMessage);
    }

    @Override
    public Entry entry() {
        return entry;
    }
}
