package io.slmgen.postgrest;

/**
 * The outcome of one /rest/v1 call, before HTTP: status, the JSON text to send (null = no body), the
 * Content-Range value and whether the body is a single object.
 */
record PgResult(int status, String body, String contentRange, boolean single) {
}
