package io.slmgen.postgrest;

import io.slmgen.shared.error.ErrorCode;

/**
 * PostgREST's own errors (docs/SPEC.md §10): the HTTP status, PostgREST's code for the body
 * ({@code PGRSTxxx}, or the SQLSTATE PostgreSQL itself would report) and the message postgrest-js
 * shows. The snake_case code is what the same error answers outside {@code /rest/v1}.
 * Database errors keep their own SQLSTATE (see {@link PgrstErrors#translate}).
 */
public enum PostgrestError implements ErrorCode {
    /** PGRST100: the query string (or a preference it needs) could not be parsed. */
    PARSE_ERROR(400, "bad_request", "PGRST100", "failed to parse the request"),
    /** PGRST102: the body is not JSON. */
    INVALID_BODY(400, "bad_json", "PGRST102", "Empty or invalid json"),
    /** PGRST102 too: a body whose Content-Type is not JSON (PostgREST does not parse it). */
    UNACCEPTABLE_CONTENT_TYPE(400, "bad_content_type", "PGRST102", "Content-Type not acceptable"),
    /** PGRST124: Prefer: max-affected was exceeded; the change is rolled back. */
    MAX_AFFECTED_EXCEEDED(400, "bad_request", "PGRST124", "Query result exceeds max-affected preference constraint"),
    /** PGRST204: a body key or columns/on_conflict entry that is not a column. */
    UNKNOWN_PAYLOAD_COLUMN(400, "bad_request", "PGRST204", "Could not find the column in the schema cache"),
    /** A filter or select naming no column of the table: PostgreSQL's own 42703 wording. */
    UNDEFINED_COLUMN(400, "bad_request", "42703", "column does not exist"),
    /** PGRST205: no such table in the exposed schema. */
    TABLE_NOT_FOUND(404, "not_found", "PGRST205", "Could not find the table in the schema cache"),
    /** PGRST106: Accept-Profile/Content-Profile named a schema that is not exposed. */
    SCHEMA_NOT_EXPOSED(406, "not_acceptable", "PGRST106", "The schema must be one of the following: public"),
    /** PGRST107: the Accept header asks for no media type we produce. */
    MEDIA_TYPE_NOT_AVAILABLE(406, "not_acceptable", "PGRST107", "None of these media types are available"),
    /** PGRST116: application/vnd.pgrst.object+json but not exactly one row. */
    NOT_SINGULAR(406, "not_acceptable", "PGRST116", "Cannot coerce the result to a single JSON object"),
    /** PGRST103: the requested range starts past the end of the rows. */
    RANGE_NOT_SATISFIABLE(416, "range_not_satisfiable", "PGRST103", "Requested range not satisfiable");

    private final Entry entry;

    PostgrestError(int status, String code, String pgCode, String defaultMessage) {
        this.entry = Entry.of(status, code, defaultMessage).withPgCode(pgCode);
    }

    @Override
    public Entry entry() {
        return entry;
    }
}
