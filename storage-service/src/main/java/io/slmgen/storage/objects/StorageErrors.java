package io.slmgen.storage.objects;

import io.slmgen.shared.error.ApiException;

/**
 * storage-api's errors (its src/internal/errors/codes.ts): the HTTP status is 400 for nearly every
 * error while the body's statusCode carries the meaningful one ("404", "409", "403"); 413 and 416 are
 * answered with their own status so clients see them.
 */
public final class StorageErrors {

    private StorageErrors() {
    }

    public static ApiException objectNotFound() {
        return new ApiException(400, "not_found", "Object not found").storage(404, "not_found");
    }

    public static ApiException bucketNotFound() {
        return new ApiException(400, "not_found", "Bucket not found").storage(404, "Bucket not found");
    }

    public static ApiException duplicate() {
        return new ApiException(400, "conflict", "The resource already exists").storage(409, "Duplicate");
    }

    public static ApiException bucketExists() {
        return new ApiException(400, "conflict", "The resource already exists").storage(409, "Duplicate");
    }

    public static ApiException bucketNotEmpty() {
        return new ApiException(400, "conflict", "The bucket you tried to delete is not empty")
                .storage(409, "Bucket not empty");
    }

    public static ApiException invalidKey(String key) {
        return new ApiException(400, "invalid_key", "Invalid key: " + key).storage(400, "InvalidKey");
    }

    public static ApiException invalidBucketName(String name) {
        return new ApiException(400, "invalid_bucket_name", "Bucket name invalid").storage(400, "Invalid Input");
    }

    public static ApiException invalidRequest(String message) {
        return new ApiException(400, "invalid_request", message).storage(400, "InvalidRequest");
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(400, "unauthorized", message).storage(403, "Unauthorized");
    }

    public static ApiException rlsViolation() {
        return unauthorized("new row violates row-level security policy");
    }

    public static ApiException tooLarge(long limit) {
        return new ApiException(413, "payload_too_large", "The object exceeded the maximum allowed size")
                .storage(413, "Payload too large").extra("limit", limit);
    }

    public static ApiException invalidMime(String mime) {
        return new ApiException(400, "invalid_mime_type", "mime type " + mime + " is not supported")
                .storage(415, "invalid_mime_type");
    }

    public static ApiException invalidRange(long size) {
        return new ApiException(416, "invalid_range", "Range Not Satisfiable").storage(416, "InvalidRange")
                .header("Content-Range", "bytes */" + size);
    }

    public static ApiException invalidSignature(String message) {
        return new ApiException(400, "invalid_signature", message).storage(400, "InvalidSignature");
    }

    public static ApiException invalidJwt(String message) {
        return new ApiException(400, "invalid_jwt", message).storage(400, "InvalidJWT");
    }

    /** Translates the shared database errors into storage-api's vocabulary. */
    public static Throwable fromDb(Throwable t) {
        if (t instanceof ApiException e && e.pgCode() != null) {
            return switch (e.pgCode()) {
                case "42501" -> rlsViolation();
                case "23505" -> duplicate();
                case "23503" -> bucketNotFound();
                default -> e.storage(e.status(), e.code());
            };
        }
        return t;
    }
}
