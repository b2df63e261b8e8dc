package io.slmgen.shared.api;

import java.util.UUID;

import io.slmgen.shared.error.ApiError;

/** Parses ids from paths and bodies; a malformed id is the caller's mistake (400), never a 500. */
public final class Ids {

    private Ids() {
    }

    public static UUID uuid(String value, String field) {
        if (value == null || value.length() != 36) {
            throw ApiError.INVALID_ID.exception(field + " must be a UUID").field(field);
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiError.INVALID_ID.exception(field + " must be a UUID").field(field);
        }
    }
}
