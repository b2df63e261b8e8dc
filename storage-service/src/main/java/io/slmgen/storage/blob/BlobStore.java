package io.slmgen.storage.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where object bytes live. Blobs are addressed by (bucket, version) - never by the object's name - so
 * an object name can never reach the filesystem or an S3 key of another bucket. The protocol is
 * stage → (row commits) → publish; a blob staged but never published is swept.
 */
public interface BlobStore {

    /** A blob written to the staging area, not visible yet. */
    record Staged(String bucket, String version, long size, String md5Hex) {
    }

    /** A readable blob. */
    interface Blob {
        long size();

        /** The file itself when the store is local (served with sendfile), else empty. */
        Optional<Path> localFile();

        InputStream open(long offset, long length) throws IOException;
    }

    /**
     * Streams {@code in} into the staging area, hashing (MD5, the ETag storage-api uses) and counting;
     * throws {@link TooLargeException} as soon as more than {@code limit} bytes arrived (the staged
     * bytes are removed, the rest of {@code in} is not read).
     */
    Staged stage(String bucket, String version, InputStream in, long limit) throws IOException;

    /**
     * The file a streaming upload writes itself (for stores that stage on the local filesystem), then
     * hands to {@link #sealStaged}. Creating it is the caller's job (create-new, write-only).
     */
    Path stagingFile(String bucket, String version);

    /**
     * Finishes a staged file written through {@link #stagingFile}: fsyncs it and returns it as staged
     * with the size and MD5 the writer counted. Deletes it and throws if it cannot be made durable.
     */
    Staged sealStaged(String bucket, String version, long size, String md5Hex) throws IOException;

    /** Copies an existing blob into the staging area under a new version. */
    Staged stageCopy(String bucket, String version, String toBucket, String toVersion) throws IOException;

    /** Makes a staged blob the live bytes of its version (after the object row committed). */
    void publish(Staged staged) throws IOException;

    /** Drops a staged blob whose row did not commit. */
    void discard(String bucket, String version);

    Optional<Blob> find(String bucket, String version);

    void delete(String bucket, String version);

    /**
     * Start-up recovery: every staged blob older than the stale age is published when
     * {@code committed} says its row exists, deleted otherwise. Returns how many were handled.
     */
    int sweep(Predicate<String> committed) throws IOException;

    /** More bytes than allowed arrived. */
    final class TooLargeException extends IOException {
        private final long limit;

        public TooLargeException(long limit) {
            super("object larger than " + limit + " bytes", null);
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }
}
