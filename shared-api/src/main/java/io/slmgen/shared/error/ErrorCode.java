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

    /**
     * What an entry says: its HTTP status, code and default message, and where its family needs them
     * PostgREST's code, a Retry-After, and storage-api's body fields. A catalogue enum holds one and
     * hands it out through {@link #entry()}; the accessors below read it.
     *
     * @param pgCode PostgREST's code for the body's {@code code} (PGRSTxxx or a SQLSTATE), or null
     * @param retryAfter seconds a client should wait before retrying ({@code Retry-After}), or null
     * @param storageCode storage-api's machine code (NoSuchKey, ...) that storage-js reads, or null
     * @param storageStatusCode the storage body's {@code statusCode} (storage-api reports most errors as
     *                          HTTP 400 with the real one here)
     * @param storageError the storage body's {@code error} text
     */
    record Entry(int status, String code, String defaultMessage, String pgCode, String retryAfter,
                 String storageCode, int storageStatusCode, String storageError) {

        public static Entry of(int status, String code, String defaultMessage) {
            return new Entry(status, code, defaultMessage, null, null, null, status, code);
        }

        public Entry withRetryAfter(String seconds) {
            return new Entry(status, code, defaultMessage, pgCode, seconds, storageCode, storageStatusCode, storageError);
        }

        public Entry withPgCode(String postgrestCode) {
            return new Entry(status, code, defaultMessage, postgrestCode, retryAfter, storageCode, storageStatusCode,
                    storageError);
        }

        /** storage-api's body: {@code statusCode}, {@code error}; the entry's code is its machine code. */
        public Entry withStorageBody(int bodyStatusCode, String error) {
            return new Entry(status, code, defaultMessage, pgCode, retryAfter, code, bodyStatusCode, error);
        }
    }

    Entry entry();

    default int status() {
        return entry().status();
    }

    default String code() {
        return entry().code();
    }

    default String defaultMessage() {
        return entry().defaultMessage();
    }

    /** PostgREST's code for the body's {@code code} (PGRSTxxx or a SQLSTATE), when the entry has one. */
    default String pgCode() {
        return entry().pgCode();
    }

    /** Seconds a client should wait before retrying (the {@code Retry-After} header), when it should. */
    default String retryAfter() {
        return entry().retryAfter();
    }

    /**
     * storage-api's machine code (NoSuchKey, ResourceAlreadyExists, ...), rendered as the storage body's
     * {@code code}, which storage-js reads (e.g. exists()). Only storage's own catalogue has one.
     */
    default String storageCode() {
        return entry().storageCode();
    }

    /** The storage body's {@code statusCode}: storage-api reports most errors as HTTP 400 with the real one here. */
    default int storageStatusCode() {
        return entry().storageStatusCode();
    }

    /** The storage body's {@code error} text. */
    default String storageError() {
        return entry().storageError();
    }

    default ApiException exception() {
        return new ApiException(this, defaultMessage());
    }

    /** The entry with a message that says more than the default (e.g. names the value at fault). */
    default ApiException exception(String message) {
        return new ApiException(this, message);
    }
}
