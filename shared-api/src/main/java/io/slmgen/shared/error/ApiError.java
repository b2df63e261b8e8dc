package io.slmgen.shared.error;

/**
 * The shared catalogue: the codes of our own {@code /api} and {@code /slmgen} routes and the failures
 * every service can answer (authentication, validation, the database, unavailability). Rendered in the
 * shape of the called path (docs/SPEC.md §12). Where one code is answered with two statuses the second
 * entry says which (e.g. {@link #VALIDATION_FAILED_BAD_REQUEST}).
 */
public enum ApiError implements ErrorCode {
    BAD_REQUEST(400, "bad_request", "invalid request"),
    BAD_JSON(400, "bad_json", "request body is not valid JSON"),
    /** A body or parameter the service could not read (wrong JSON type, a missing body). */
    VALIDATION_FAILED_BAD_REQUEST(400, "validation_failed", "request body has the wrong type"),
    INVALID_ID(400, "invalid_id", "the id is invalid"),
    /** A value the database refused (SQLSTATE class 22, not-null, check constraints). */
    INVALID_VALUE(400, "invalid_value", "invalid value"),
    NO_AUTHORIZATION(401, "no_authorization", "a signed-in user's token is required"),
    BAD_JWT(401, "bad_jwt", "invalid JWT"),
    FORBIDDEN(403, "forbidden", "forbidden"),
    NOT_ADMIN(403, "not_admin", "the service_role key is required"),
    /** SQLSTATE 42501 for a signed-in caller: a row-level security policy refused. */
    INSUFFICIENT_PRIVILEGE(403, "insufficient_privilege", "permission denied"),
    NOT_FOUND(404, "not_found", "not found"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed", "method not allowed here"),
    NOT_ACCEPTABLE(406, "not_acceptable", "not acceptable"),
    CONFLICT(409, "conflict", "conflict"),
    FOREIGN_KEY_VIOLATION(409, "foreign_key_violation", "foreign key violation"),
    PAYLOAD_TOO_LARGE(413, "payload_too_large", "payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type", "unsupported media type"),
    /** A field failed validation: 422 naming the field. */
    VALIDATION_FAILED(422, "validation_failed", "request is invalid"),
    UNEXPECTED_FAILURE(500, "unexpected_failure", "unexpected failure"),
    DATABASE_ERROR(500, "database_error", "database error"),
    BAD_GATEWAY(502, "bad_gateway", "a dependency failed"),
    SERVICE_UNAVAILABLE(503, "service_unavailable", "service unavailable, retry shortly", "2"),
    /** A configuration this request needs is missing (e.g. SUPABASE_JWT_SECRET on a JWKS-only deployment). */
    NOT_CONFIGURED(503, "not_configured", "not configured"),
    /** SQLSTATE 40001/40P01: serialization failure or deadlock; the client retries sooner than for 503. */
    RETRY(503, "retry", "transaction conflict, retry", "1"),
    /** SQLSTATE 57014: the statement ran past statement_timeout (docs/SPEC.md §3). */
    REQUEST_TIMEOUT(504, "request_timeout", "canceling statement due to statement timeout");

    private final Entry entry;

    ApiError(int status, String code, String defaultMessage) {
        this.entry = Entry.of(status, code, defaultMessage);
    }

    ApiError(int status, String code, String defaultMessage, String retryAfter) {
        this.entry = Entry.of(status, code, defaultMessage).withRetryAfter(retryAfter);
    }

    @Override
    public Entry entry() {
        return entry;
    }
}
