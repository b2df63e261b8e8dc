package io.slmgen.datasets.service;

import io.slmgen.shared.error.ErrorCode;

/**
 * datasets-service's own codes (docs/SPEC.md §6, §15): what an upload can fail on. Shared failures
 * (not_found, validation_failed, payload_too_large, ...) come from {@link io.slmgen.shared.error.ApiError}.
 * SLMGEN v1 answers a bad upload with 400 where our /api answers 422: the {@code _V1} entries are those.
 */
public enum DatasetsError implements ErrorCode {
    UPLOAD_INTERRUPTED(400, "upload_interrupted", "the upload was interrupted"),
    /** A file that is not .jsonl, as SLMGEN v1 answers it on /slmgen (400). */
    INVALID_FILE_TYPE_V1(400, "invalid_file_type", "Please upload a .jsonl file"),
    /** Too few examples, as SLMGEN v1 answers it on /slmgen (400). */
    NOT_ENOUGH_EXAMPLES_V1(400, "not_enough_examples", "Not enough examples"),
    TOO_MANY_EXAMPLES(413, "too_many_examples", "Too many examples"),
    INVALID_FILE_TYPE(422, "invalid_file_type", "Please upload a .jsonl file"),
    NOT_ENOUGH_EXAMPLES(422, "not_enough_examples", "Not enough examples"),
    OVER_REQUEST_RATE_LIMIT(429, "over_request_rate_limit",
            "Too many anonymous sessions from your address. Sign in, or try again later."),
    INTERNAL_ERROR(500, "internal_error", "the analysis of the upload failed"),
    STORAGE_ERROR(502, "storage_error", "storage answered before the upload ended");

    private final Entry entry;

    DatasetsError(int status, String code, String defaultMessage) {
        this.entry = Entry.of(status, code, defaultMessage);
    }

    @Override
    public Entry entry() {
        return entry;
    }
}
