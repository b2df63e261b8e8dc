package io.slmgen.storage.objects;

import io.slmgen.shared.error.ApiException;

/**
 * An ApiException that also carries storage-api's machine code (its ErrorCode: NoSuchKey,
 * ResourceAlreadyExists, ...), which storage-js reads from the body's {@code code} (e.g. exists()).
 */
public class StorageException extends ApiException {

    private final String storageCode;

    public StorageException(int status, int bodyStatus, String storageCode, String error, String message) {
        super(status, storageCode, message);
        this.storageCode = storageCode;
        storage(bodyStatus, error);
    }

    public String storageCode() {
        return storageCode;
    }
}
