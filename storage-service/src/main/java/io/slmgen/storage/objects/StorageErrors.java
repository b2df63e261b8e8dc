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

    public static StorageException objectNotFound() {
        return new StorageException(400, 404, "NoSuchKey", "not_found", "Object not found");
    }

    public static StorageException bucketNotFound() {
        return new StorageException(400, 404, "NoSuchBucket", "Bucket not found", "Bucket not found");
    }

    public static StorageException duplicate() {
        return new StorageException(400, 409, "ResourceAlreadyExists", "Duplicate", "The resource already exists");
    }

    public static StorageException bucketExists() {
        return new StorageException(400, 409, "BucketAlreadyExists", "Duplicate", "The resource already exists");
    }

    public static StorageException bucketNotEmpty() {
        return new StorageException(400, 409, "InvalidRequest", "Bucket not empty",
                "The bucket you tried to delete is not empty");
    }

    public static StorageException invalidKey(String key) {
        return new StorageException(400, 400, "InvalidKey", "InvalidKey", "Invalid key: " + key);
    }

    public static StorageException invalidBucketName(String name) {
        return new StorageException(400, 400, "InvalidBucketName", "Invalid Input", "Bucket name invalid");
    }

    public static StorageException invalidRequest(String message) {
        return new StorageException(400, 400, "InvalidRequest", "InvalidRequest", message);
    }

    public static StorageException unauthorized(String message) {
        return new StorageException(400, 403, "AccessDenied", "Unauthorized", message);
    }

    public static StorageException rlsViolation() {
        return unauthorized("new row violates row-level security policy");
    }

    public static StorageException tooLarge(long limit) {
        return new StorageException(413, 413, "EntityTooLarge", "Payload too large",
                "The object exceeded the maximum allowed size");
    }

    /**
     * Ours (storage-api has no per-user quota): the upload would take the owner's objects past
     * STORAGE_USER_QUOTA. HTTP 413 like an over-limit object, told apart by its code.
     */
    public static StorageException quotaExceeded() {
        return new StorageException(413, 413, "QuotaExceeded", "Payload too large",
                "The object exceeded your storage quota");
    }

    public static StorageException invalidMime(String mime) {
        return new StorageException(400, 415, "InvalidMimeType", "invalid_mime_type",
                "mime type " + mime + " is not supported");
    }

    public static StorageException invalidRange(long size) {
        return (StorageException) new StorageException(416, 416, "InvalidRange", "InvalidRange", "Range Not Satisfiable")
                .header("Content-Range", "bytes */" + size);
    }

    public static StorageException invalidSignature(String message) {
        return new StorageException(400, 400, "InvalidSignature", "InvalidSignature", message);
    }

    public static StorageException invalidJwt(String message) {
        return new StorageException(400, 400, "InvalidJWT", "InvalidJWT", message);
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
