package io.slmgen.storage.blob;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.slmgen.storage.StorageConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs in one S3-compatible bucket (AWS S3, MinIO, R2, ...), same contract as {@link LocalBlobStore}.
 * Keys, under an optional prefix:
 * <ul>
 * <li>{@code objects/<bucket>/<vv>/<version>}: the bytes of a version (final key from the start);</li>
 * <li>{@code staging/<bucket>__<version>}: a small marker that exists while a version is staged.</li>
 * </ul>
 * S3 has no rename, and a server-side copy of every upload would double its cost, so "staged" is not a
 * place but the marker. Order: put the marker, upload the bytes to the version key (multipart for
 * more than one 8 MiB part, bounded buffers, parts MD5-checked by S3 through Content-MD5), then the
 * row commits, then publishing deletes the marker. Nothing reads a version key unless a committed row
 * names that version, so bytes whose row never committed are invisible; the sweep (at start and
 * periodically, on any replica) finds them through their markers older than the stale age: row
 * committed → drop the marker (roll forward), otherwise → abort the multipart upload, delete the
 * bytes, then the marker. Several replicas share the bucket safely: a version key is written by one
 * upload only (versions are random UUIDs), each replica's sweep skips its own uploads in progress, and
 * {@link #keepAlive} re-writes their markers every third of the stale age, so no replica takes another's
 * running upload for one a crashed replica left.
 */
public class S3BlobStore implements BlobStore {

    private static final Logger LOG = Logger.getLogger(S3BlobStore.class);
    /** Parts uploaded at the same time per upload (each holds one {@link Etags#PART_SIZE} buffer). */
    static final int PARTS_IN_FLIGHT = 2;
    /** S3 allows at most this many parts per multipart upload (8 MiB parts: 78 GiB). */
    static final int MAX_PARTS = 10_000;
    /** Largest single CopyObject; bigger objects are copied part by part. */
    static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;
    static final long COPY_PART = 1024L * 1024 * 1024;
    private static final ExecutorService UPLOADERS = Etags.pool("slmgen-s3-part", 8);
    private static final String OCTETS = "application/octet-stream";

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Duration staleAge;
    /**
     * Versions this process is staging or committing (marker key → when the marker was last written):
     * this process's sweep skips them, {@link #keepAlive} re-writes their markers for other replicas.
     */
    private final Map<String, Flight> inFlight = new ConcurrentHashMap<>();

    /**
     * An in-flight version: its marker, the marker's content (its bytes' key) and when it was last
     * written. Refreshing and ending are serialised, so a refresh never re-creates a marker that
     * publish or discard is about to delete.
     */
    private final class Flight {
        private final String marker;
        private final String target;
        private Instant written = Instant.now();
        private boolean ended;

        Flight(String marker, String target) {
            this.marker = marker;
            this.target = target;
        }

        synchronized void refreshIfOlderThan(Instant due) {
            if (ended || written.isAfter(due)) {
                return;
            }
            try {
                s3.putObject(r -> r.bucket(bucket).key(marker).contentType("text/plain"), RequestBody.fromString(target));
                written = Instant.now();
            } catch (RuntimeException e) {
                LOG.debugf("refreshing staging marker %s failed (retried): %s", marker, e.getMessage());
            }
        }

        /** No refresh runs or will run after this returns. */
        synchronized void end() {
            ended = true;
        }
    }

    /** Stops keeping a version's marker alive (before the marker is deleted). */
    private void land(String marker) {
        Flight f = inFlight.remove(marker);
        if (f != null) {
            f.end();
        }
    }

    public S3BlobStore(S3Client s3, String bucket, String keyPrefix, Duration staleAge) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("storage.s3.bucket (STORAGE_S3_BUCKET) is required when storage.backend=s3");
        }
        this.s3 = s3;
        this.bucket = bucket;
        String p = keyPrefix == null ? "" : keyPrefix.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        this.prefix = p.isEmpty() || p.endsWith("/") ? p : p + "/";
        this.staleAge = staleAge;
    }

    /** The SDK client for {@code storage.s3.*} (Apache HTTP client 5, checksums only where S3 requires them). */
    public static S3Client client(StorageConfig.S3 cfg) {
        S3ClientBuilder b = S3Client.builder()
                .region(Region.of(cfg.region()))
                .forcePathStyle(cfg.forcePathStyle())
                // we send Content-MD5 ourselves; the SDK's default CRC trailers break some S3-compatible servers
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(64));
        cfg.endpoint().filter(e -> !e.isBlank()).ifPresent(e -> b.endpointOverride(URI.create(e.strip())));
        Optional<String> key = cfg.accessKey().filter(k -> !k.isBlank());
        Optional<String> secret = cfg.secretKey().filter(k -> !k.isBlank());
        if (key.isPresent() != secret.isPresent()) {
            throw new IllegalArgumentException("set both storage.s3.access-key and storage.s3.secret-key, or neither");
        }
        if (key.isPresent()) {
            b.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.get(), secret.get())));
        }
        return b.build();
    }

    public String bucket() {
        return bucket;
    }

    /** Key of a version's bytes. */
    String objectKey(String b, String version) {
        LocalBlobStore.check(b, version);
        return prefix + "objects/" + b + "/" + version.substring(0, 2) + "/" + version;
    }

    /** Key of the marker saying a version is staged (its row may not have committed). */
    String markerKey(String b, String version) {
        LocalBlobStore.check(b, version);
        return prefix + "staging/" + b + "__" + version;
    }

    String stagingPrefix() {
        return prefix + "staging/";
    }

    // ---------------------------------------------------------------- staging

    @Override
    public Sink openSink(String b, String version) throws IOException {
        String key = objectKey(b, version);
        putMarker(b, version);
        return new S3Sink(b, version, key);
    }

    /** Writes the marker of a version about to be staged; from now on it is in flight here. */
    private void putMarker(String b, String version) throws IOException {
        String marker = markerKey(b, version);
        String target = objectKey(b, version);
        inFlight.put(marker, new Flight(marker, target));
        try {
            io(() -> s3.putObject(r -> r.bucket(bucket).key(marker).contentType("text/plain"), RequestBody.fromString(target)));
        } catch (IOException e) {
            land(marker);
            throw e;
        }
    }

    /**
     * Re-writes the markers of this process's uploads in progress that are older than a third of the
     * stale age (a slow client, a long commit): another replica's sweep only takes markers older than
     * the stale age, so it never mistakes a live upload for one a crashed replica left.
     */
    @Override
    public void keepAlive() {
        Instant due = Instant.now().minus(keepAliveInterval());
        inFlight.values().forEach(f -> f.refreshIfOlderThan(due));
    }

    @Override
    public Duration keepAliveInterval() {
        Duration third = staleAge.dividedBy(3);
        return third.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : third;
    }

    /** Buffers parts of {@link Etags#PART_SIZE}, uploads and hashes them on worker threads, two at a time. */
    final class S3Sink implements Sink {
        private final String b;
        private final String version;
        private final String key;
        private final Semaphore partsInFlight = new Semaphore(PARTS_IN_FLIGHT);
        private final ConcurrentLinkedQueue<byte[]> spare = new ConcurrentLinkedQueue<>();
        private final List<CompletableFuture<Part>> parts = new ArrayList<>();
        private byte[] buf = new byte[64 * 1024];
        private int len;
        private long size;
        private String uploadId;
        private boolean ended;

        S3Sink(String b, String version, String key) {
            this.b = b;
            this.version = version;
            this.key = key;
        }

        @Override
        public void write(ByteBuffer bytes) throws IOException {
            while (bytes.hasRemaining()) {
                if (len == buf.length) {
                    if (buf.length < Etags.PART_SIZE) {
                        buf = Arrays.copyOf(buf, Math.min(Etags.PART_SIZE, buf.length * 4));
                    } else {
                        uploadPart(); // a full part and more bytes: the object is multipart
                    }
                }
                int k = Math.min(bytes.remaining(), buf.length - len);
                bytes.get(buf, len, k);
                len += k;
                size += k;
            }
        }

        private void uploadPart() throws IOException {
            if (uploadId == null) {
                uploadId = io(() -> s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(OCTETS))).uploadId();
            }
            int number = parts.size() + 1;
            if (number > MAX_PARTS) {
                throw new IOException("object has more than " + MAX_PARTS + " parts");
            }
            try {
                partsInFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while uploading");
            }
            byte[] data = buf;
            int n = len;
            String id = uploadId;
            parts.add(CompletableFuture.supplyAsync(() -> {
                try {
                    byte[] md5 = md5(data, n);
                    String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(id).partNumber(number)
                            .contentLength((long) n).contentMD5(Base64.getEncoder().encodeToString(md5)), body(data, n)).eTag();
                    return new Part(number, md5, etag);
                } finally {
                    spare.offer(data);
                    partsInFlight.release();
                }
            }, UPLOADERS));
            byte[] next = spare.poll();
            buf = next != null ? next : new byte[Etags.PART_SIZE];
            len = 0;
        }

        @Override
        public Staged finish() throws IOException {
            boolean ok = false;
            try {
                String etag;
                if (uploadId == null) {
                    byte[] md5 = md5(buf, len);
                    byte[] data = buf;
                    int n = len;
                    io(() -> s3.putObject(r -> r.bucket(bucket).key(key).contentType(OCTETS).contentLength((long) n)
                            .contentMD5(Base64.getEncoder().encodeToString(md5)), body(data, n)));
                    etag = HexFormat.of().formatHex(md5);
                } else {
                    uploadPart();
                    List<byte[]> digests = new ArrayList<>();
                    List<CompletedPart> done = new ArrayList<>();
                    for (CompletableFuture<Part> f : parts) {
                        Part p = f.join();
                        digests.add(p.md5());
                        done.add(CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build());
                    }
                    String id = uploadId;
                    io(() -> s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(id)
                            .multipartUpload(CompletedMultipartUpload.builder().parts(done).build())));
                    etag = Etags.of(digests);
                }
                ended = true;
                ok = true;
                buf = null;
                return new Staged(b, version, size, etag);
            } catch (CompletionException e) {
                throw e.getCause() instanceof SdkException s ? new IOException("S3: " + s.getMessage(), s) : new IOException(e.getCause());
            } finally {
                if (!ok) {
                    abort();
                }
            }
        }

        @Override
        public void abort() {
            if (ended) {
                return;
            }
            ended = true;
            buf = null;
            for (CompletableFuture<Part> f : parts) {
                try {
                    f.join();
                } catch (RuntimeException e) {
                    // the upload is being dropped anyway
                }
            }
            if (uploadId != null) {
                quietly(() -> s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)));
            }
            quietly(() -> s3.deleteObject(r -> r.bucket(bucket).key(key)));
            String marker = markerKey(b, version);
            land(marker);
            quietly(() -> s3.deleteObject(r -> r.bucket(bucket).key(marker)));
        }
    }

    record Part(int number, byte[] md5, String etag) {
    }

    private static RequestBody body(byte[] data, int n) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, n), n, OCTETS);
    }

    private static byte[] md5(byte[] data, int n) {
        MessageDigest md5 = Etags.md5();
        md5.update(data, 0, n);
        return md5.digest();
    }

    @Override
    public Staged stageCopy(String fromBucket, String version, String toBucket, String toVersion) throws IOException {
        String from = objectKey(fromBucket, version);
        String to = objectKey(toBucket, toVersion);
        putMarker(toBucket, toVersion);
        boolean ok = false;
        try {
            HeadObjectResponse head = io(() -> s3.headObject(r -> r.bucket(bucket).key(from)));
            long size = head.contentLength();
            String etag;
            if (size <= MAX_SINGLE_COPY) {
                etag = io(() -> s3.copyObject(r -> r.sourceBucket(bucket).sourceKey(from)
                        .destinationBucket(bucket).destinationKey(to))).copyObjectResult().eTag();
            } else {
                String id = io(() -> s3.createMultipartUpload(r -> r.bucket(bucket).key(to).contentType(OCTETS))).uploadId();
                try {
                    List<CompletedPart> done = new ArrayList<>();
                    int number = 1;
                    for (long start = 0; start < size; start += COPY_PART, number++) {
                        String range = "bytes=" + start + "-" + (Math.min(size, start + COPY_PART) - 1);
                        int n = number;
                        String e = io(() -> s3.uploadPartCopy(r -> r.sourceBucket(bucket).sourceKey(from)
                                .destinationBucket(bucket).destinationKey(to).uploadId(id).partNumber(n)
                                .copySourceRange(range))).copyPartResult().eTag();
                        done.add(CompletedPart.builder().partNumber(n).eTag(e).build());
                    }
                    etag = io(() -> s3.completeMultipartUpload(r -> r.bucket(bucket).key(to).uploadId(id)
                            .multipartUpload(CompletedMultipartUpload.builder().parts(done).build()))).eTag();
                } catch (IOException | RuntimeException e) {
                    quietly(() -> s3.abortMultipartUpload(r -> r.bucket(bucket).key(to).uploadId(id)));
                    throw e;
                }
            }
            ok = true;
            return new Staged(toBucket, toVersion, size, etag == null ? "" : etag.replace("\"", ""));
        } finally {
            if (!ok) {
                discard(toBucket, toVersion);
            }
        }
    }

    /** The row committed: the version is live, its marker goes (a failure leaves it to the sweep's roll-forward). */
    @Override
    public void publish(Staged staged) throws IOException {
        String marker = markerKey(staged.bucket(), staged.version());
        land(marker); // a marker left behind by a failed delete is a committed one: the sweep rolls it forward
        io(() -> s3.deleteObject(r -> r.bucket(bucket).key(marker)));
    }

    /** The row did not commit: unfinished multipart uploads, the bytes, then the marker go. */
    @Override
    public void discard(String b, String version) {
        String key = objectKey(b, version);
        quietly(() -> {
            ListMultipartUploadsResponse open = s3.listMultipartUploads(r -> r.bucket(bucket).prefix(key));
            for (MultipartUpload u : open.uploads()) {
                if (key.equals(u.key())) {
                    quietly(() -> s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(u.uploadId())));
                }
            }
            return null;
        });
        quietly(() -> s3.deleteObject(r -> r.bucket(bucket).key(key)));
        String marker = markerKey(b, version);
        land(marker);
        quietly(() -> s3.deleteObject(r -> r.bucket(bucket).key(marker)));
    }

    // ---------------------------------------------------------------- reads and deletes

    @Override
    public Optional<Blob> find(String b, String version) {
        String key = objectKey(b, version);
        HeadObjectResponse head;
        try {
            head = s3.headObject(r -> r.bucket(bucket).key(key));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new UncheckedIOException(new IOException("S3: " + e.getMessage(), e));
        } catch (SdkException e) {
            throw new UncheckedIOException(new IOException("S3: " + e.getMessage(), e));
        }
        long size = head.contentLength();
        return Optional.of(new Blob() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public Optional<Path> localFile() {
                return Optional.empty();
            }

            @Override
            public InputStream open(long offset, long length) throws IOException {
                if (length <= 0) {
                    return InputStream.nullInputStream();
                }
                String range = "bytes=" + offset + "-" + (offset + length - 1);
                return io(() -> s3.getObject(r -> r.bucket(bucket).key(key).range(range)));
            }
        });
    }

    @Override
    public void delete(String b, String version) {
        String key = objectKey(b, version);
        quietly(() -> s3.deleteObject(r -> r.bucket(bucket).key(key)));
    }

    /**
     * Start-up recovery through the markers older than the stale age: committed → marker deleted
     * (the bytes are already under their final key), else → {@link #discard}.
     */
    @Override
    public int sweep(Predicate<String> committed) throws IOException {
        Instant cutoff = Instant.now().minus(staleAge);
        String staging = stagingPrefix();
        int handled = 0;
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response page = io(() -> s3.listObjectsV2(r -> r.bucket(bucket).prefix(staging).continuationToken(t)));
            for (S3Object o : page.contents()) {
                if (inFlight.containsKey(o.key()) || (o.lastModified() != null && o.lastModified().isAfter(cutoff))) {
                    continue; // an upload of this process, or one another replica keeps alive
                }
                String n = o.key().substring(staging.length());
                int sep = n.lastIndexOf("__");
                String b = sep > 0 ? n.substring(0, sep) : "";
                String version = sep > 0 ? n.substring(sep + 2) : "";
                if (BUCKET_OK.test(b) && VERSION_OK.test(version)) {
                    if (committed.test(version)) {
                        String marker = o.key();
                        io(() -> s3.deleteObject(r -> r.bucket(bucket).key(marker)));
                    } else {
                        discard(b, version);
                    }
                } else {
                    quietly(() -> s3.deleteObject(r -> r.bucket(bucket).key(o.key())));
                }
                handled++;
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return handled;
    }

    private static final Predicate<String> BUCKET_OK = s -> LocalBlobStore.BUCKET.matcher(s).matches() && !s.contains("..");
    private static final Predicate<String> VERSION_OK = s -> LocalBlobStore.VERSION.matcher(s).matches();

    // ---------------------------------------------------------------- helpers

    /** Runs an S3 call, turning SDK failures into IOExceptions (the upload paths' vocabulary). */
    private static <T> T io(Supplier<T> call) throws IOException {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new IOException("S3: " + e.getMessage(), e);
        }
    }

    private static void quietly(Supplier<?> call) {
        try {
            call.get();
        } catch (RuntimeException e) {
            LOG.debugf("S3 clean-up call failed (the sweep retries): %s", e.getMessage());
        }
    }
}
