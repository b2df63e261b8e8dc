package io.slmgen.storage.objects;

import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.error.ErrorCode;

/**
 * storage-api's errors (its src/internal/errors/codes.ts, docs/SPEC.md §9): its machine code
 * (rendered as the body's {@code code}, which storage-js reads, e.g. NoSuchKey for exists()), the HTTP
 * status - 400 for nearly every error - the body's statusCode carrying the meaningful one ("404",
 * "409", "403") and the body's {@code error} text. 413 and 416 are answered with their own status so
 * clients see them. Rendered by shared-api's ErrorShape.STORAGE like every error on /storage/v1.
 */
public enum StorageError implements ErrorCode {
    NO_SUCH_KEY(400, 404, "NoSuchKey", "not_found", "Object not found"),
    NO_SUCH_BUCKET(400, 404, "NoSuchBucket", "Bucket not found", "Bucket not found"),
    RESOURCE_ALREADY_EXISTS(400, 409, "ResourceAlreadyExists", "Duplicate", "The resource already exists"),
    BUCKET_ALREADY_EXISTS(400, 409, "BucketAlreadyExists", "Duplicate", "The resource already exists"),
    /** storage-api reports a non-empty bucket with the generic InvalidRequest code and its own error text. */
    BUCKET_NOT_EMPTY(400, 409, "InvalidRequest", "Bucket not empty", "The bucket you tried to delete is not empty"),
    INVALID_KEY(400, 400, "InvalidKey", "InvalidKey", "Invalid key"),
    INVALID_BUCKET_NAME(400, 400, "InvalidBucketName", "Invalid Input", "Bucket name invalid"),
    INVALID_REQUEST(400, 400, "InvalidRequest", "InvalidRequest", "Invalid request"),
    ACCESS_DENIED(400, 403, "AccessDenied", "Unauthorized", "new row violates row-level security policy"),
    ENTITY_TOO_LARGE(413, 413, "EntityTooLarge", "Payload too large", "The object exceeded the maximum allowed size"),
    /**
     * Ours (storage-api has no per-user quota): the upload would take the owner's objects past
     * STORAGE_USER_QUOTA. HTTP 413 like an over-limit object, told apart by its code.
     */
    QUOTA_EXCEEDED(413, 413, "QuotaExceeded", "Payload too large", "The object exceeded your storage quota"),
    INVALID_MIME_TYPE(400, 415, "InvalidMimeType", "invalid_mime_type", "mime type is not supported"),
    /** Answered with {@code Content-Range: bytes *}{@code /<size>} (see {@link ByteRange}). */
    INVALID_RANGE(416, 416, "InvalidRange", "InvalidRange", "Range Not Satisfiable"),
    INVALID_SIGNATURE(400, 400, "InvalidSignature", "InvalidSignature", "Invalid signature"),
    INVALID_JWT(400, 400, "InvalidJWT", "InvalidJWT", "invalid signature");

    private final Entry entry;

    StorageError(int status, int storageStatusCode, String code, String storageError, String defaultMessage) {
        this.entry = Entry.of(status, code, defaultMessage).withStorageBody(storageStatusCode, storageError);
    }

    @Override
    public Entry entry() {
        return entry;
    }

    public static Throwable fromDb(Throwable t) {
        if (t instanceof ApiException e && e.pgCode() != null) {
            return switch (e.pgCode()) {
                case "42501" -> ACCESS_DENIED.exception();
                case "23505" -> RESOURCE_ALREADY_EXISTS.exception();
                case "23503" -> NO_SUCH_BUCKET.exception();
                default -> e.storage(e.status(), e.code());
            };
        }
        return t;
    }
}
