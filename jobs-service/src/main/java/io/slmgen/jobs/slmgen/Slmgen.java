package io.slmgen.jobs.slmgen;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.Caller;

/** Small helpers for SLMGEN v1's request and answer conventions (FastAPI/pydantic). */
final class Slmgen {

    static final String AUTH_REQUIRED = "Authentication required";

    private Slmgen() {
    }

    static ApiException invalid(String field, String message) {
        return ApiError.VALIDATION_FAILED.exception(field + ": " + message).field(field);
    }

    static String requiredString(Map<String, Object> body, String field) {
        if (body == null) {
            throw invalid("body", "Field required");
        }
        Object v = body.get(field);
        if (v == null) {
            throw invalid(field, "Field required");
        }
        if (!(v instanceof String s)) {
            throw invalid(field, "Input should be a valid string");
        }
        return s;
    }

    static String string(Object o, String fallback) {
        return o instanceof String s && !s.isBlank() ? s : fallback;
    }

    /** Python's repr of a list of strings: ['a', 'b']. */
    static String pyList(List<String> items) {
        return items.stream().map(s -> "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    static void requireUser(Caller caller) {
        if (!caller.isUser()) {
            throw ApiError.NO_AUTHORIZATION.exception(AUTH_REQUIRED);
        }
    }
}
