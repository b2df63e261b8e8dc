package io.slmgen.shared.error;

/**
 * One entry of an error catalogue: the HTTP status, the stable code clients switch on and the message
 * used when the throw site has nothing more specific to say. Each API family keeps its catalogue as an
 * enum beside the code that throws it ({@link ApiError} for our own routes and the common failures,
 * auth-service's {@code GoTrueError}, storage-service's {@code StorageError}, shared-postgrest's
 * {@code PostgrestError}, and a small enum per service for its own codes); {@link ErrorShape} renders
 * every entry in the shape of the path that was called. The strings are the wire contract: an entry's
 * status and code never change once released.
 */
public interface ErrorCode {

    int status();

    String code();

    String defaultMessage();

    /** PostgREST's code for the body's {@code code} (PGRSTxxx or a SQLSTATE), when the entry has one. */
    default String pgCode() {
        return null;
    }

    /** Seconds a client should wait before retrying (the {@code Retry-After} header), when it should. */
    default String retryAfter() {
        return null;
    }

    /**
     * storage-api's machine code (NoSuchKey, ResourceAlreadyExists, ...), rendered as the storage body's
     * {@code code}, which storage-js reads (e.g. exists()). Only storage's own catalogue has one.
     */
    default String storageCode() {
        return null;
    }

    /** The storage body's {@code statusCode}: storage-api reports most errors as HTTP 400 with the real one here. */
    default int storageStatusCode() {
        return status();
    }

    /** The storage body's {@code error} text. */
    default String storageError() {
        return code();
    }

    default ApiException exception() {
        return new ApiException(this, defaultMessage());
    }

    /** The entry with a message that says more than the default (e.g. names the value at fault). */
    default ApiException exception(String message) {
        return new ApiException(this, message);
    }
}
