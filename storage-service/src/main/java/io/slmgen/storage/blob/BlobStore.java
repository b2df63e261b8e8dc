package io.slmgen.storage.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where object bytes live. Blobs are addressed by (bucket, version) - never by the object's name - so
 * an object name can never reach the filesystem or an S3 key of another bucket. The protocol is
 * stage → (row commits) → publish; a blob staged but never published is swept.
 */
public interface BlobStore {

    /**
     * A blob written to the staging area, not visible yet. {@code etag} is unquoted: the hex MD5 for
     * objects of one part, S3's multipart form {@code md5-of-part-md5s-N} above (see {@link Etags}).
     */
    record Staged(String bucket, String version, long size, String etag) {
    }

    /**
     * Bytes of one new blob on their way into the staging area, written in order by one thread at a
     * time (not necessarily the same one). {@link #write} may block for backpressure (parts being
     * hashed or uploaded). Exactly one of {@link #finish} or {@link #abort} ends it.
     */
    interface Sink {
        /**
         * Writes the remaining bytes of {@code bytes}. The sink may keep reading them after it returns
         * (to hash them off the writer's thread): the caller hands them over and must not change them.
         */
        void write(ByteBuffer bytes) throws IOException;

        /** Makes the written bytes durable in the staging area; returns them as staged (size, ETag). */
        Staged finish() throws IOException;

        /** Drops whatever was written (idempotent, never throws). */
        void abort();
    }

    /** A readable blob. */
    interface Blob {
        long size();

        /** The file itself when the store is local (served with sendfile), else empty. */
        Optional<Path> localFile();

        InputStream open(long offset, long length) throws IOException;
    }

    /**
     * Streams {@code in} into the staging area, hashing (the ETag, see {@link Etags}) and counting;
     * throws {@link TooLargeException} as soon as more than {@code limit} bytes arrived (the staged
     * bytes are removed, the rest of {@code in} is not read).
     */
    default Staged stage(String bucket, String version, InputStream in, long limit) throws IOException {
        Sink sink = openSink(bucket, version);
        boolean ok = false;
        try {
            long size = 0;
            int n;
            byte[] chunk;
            while ((n = in.readNBytes(chunk = new byte[256 * 1024], 0, 256 * 1024)) > 0) { // handed over: a new array each time
                size += n;
                if (size > limit) {
                    throw new TooLargeException(limit);
                }
                sink.write(ByteBuffer.wrap(chunk, 0, n));
            }
            Staged staged = sink.finish();
            ok = true;
            return staged;
        } finally {
            if (!ok) {
                sink.abort();
            }
        }
    }

    /** Starts a new staged blob (a streaming upload writes it chunk by chunk). */
    Sink openSink(String bucket, String version) throws IOException;

    /** Copies an existing blob into the staging area under a new version. */
    Staged stageCopy(String bucket, String version, String toBucket, String toVersion) throws IOException;

    /** Makes a staged blob the live bytes of its version (after the object row committed). */
    void publish(Staged staged) throws IOException;

    /** Drops a staged blob whose row did not commit. */
    void discard(String bucket, String version);

    Optional<Blob> find(String bucket, String version);

    void delete(String bucket, String version);

    /**
     * Recovery (at start and periodically): every staged blob older than the stale age is published
     * when {@code committed} says its row exists, deleted otherwise; blobs this process is still
     * staging or committing (between {@link #openSink}/{@link #stageCopy} and {@link #publish}/
     * {@link #discard}) are left alone. Returns how many were handled.
     */
    int sweep(Predicate<String> committed) throws IOException;

    /**
     * Tells other processes sharing the store that this one's uploads in progress are alive (S3: their
     * staging markers are re-written well within the stale age, so another replica's sweep never takes
     * a running upload for a crashed one). Called periodically; nothing to do for a local store.
     */
    default void keepAlive() {
    }

    /** How often {@link #keepAlive} should run; zero when it has nothing to do. */
    default java.time.Duration keepAliveInterval() {
        return java.time.Duration.ZERO;
    }

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
