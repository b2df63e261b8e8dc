package io.slmgen.storage.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.sun.nio.file.ExtendedOpenOption;

/**
 * Blobs on the local filesystem: {@code <root>/tmp/<bucket>__<version>.part} while staged,
 * {@code <root>/objects/<bucket>/<vv>/<version>} once published. Staging writes, fsyncs and closes
 * the temp file (its parts hashed in parallel for the ETag); publishing is one atomic rename within the
 * same filesystem. Staged files are written with O_DIRECT where the filesystem allows it (see
 * {@link LocalSink}): the bytes go from one aligned buffer to the disk without being copied into the page
 * cache, which was as expensive as the MD5 itself, and reach the disk while the body still arrives
 * instead of all at the final fsync.
 */
public class LocalBlobStore implements BlobStore {

    static final Pattern VERSION = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,99}");

    private final Path root;
    private final Path tmp;
    private final Path objects;
    private final Duration staleAge;
    /** Alignment of O_DIRECT writes in the staging directory; 0 when staged files are written through the page cache. */
    private volatile int directAlign;
    /** Staged files of uploads in progress in this process (file names): the sweep leaves them alone. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    public LocalBlobStore(Path root, Duration staleAge) throws IOException {
        this(root, staleAge, true);
    }

    /** {@code directIo}: write staged files with O_DIRECT when the filesystem supports it (else always through the page cache). */
    public LocalBlobStore(Path root, Duration staleAge, boolean directIo) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve("tmp");
        this.objects = this.root.resolve("objects");
        this.staleAge = staleAge;
        Files.createDirectories(tmp);
        Files.createDirectories(objects);
        this.directAlign = directIo ? probeDirect(tmp) : 0;
    }

    /** Whether staged files are written with O_DIRECT (the probe at construction succeeded). */
    public boolean directWrites() {
        return directAlign > 0;
    }

    /**
     * The block size O_DIRECT writes in {@code dir} must be aligned to, or 0 when O_DIRECT is not available
     * there (tmpfs on older kernels, some FUSE and overlay filesystems, other platforms): a probe file is
     * opened with O_DIRECT, written and removed (a probe left by a crash is swept like any stray temp file).
     */
    static int probeDirect(Path dir) {
        Path probe = dir.resolve("direct-io-probe-" + UUID.randomUUID());
        try {
            int align = (int) Files.getFileStore(dir).getBlockSize();
            if (align <= 0 || align > LocalSink.MAX_ALIGN || Integer.bitCount(align) != 1) {
                return 0;
            }
            ByteBuffer block = ByteBuffer.allocateDirect(2 * align).alignedSlice(align);
            block.limit(align);
            try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    ExtendedOpenOption.DIRECT)) {
                while (block.hasRemaining()) {
                    ch.write(block);
                }
            }
            return align;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 0;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                // swept at the next start
            }
        }
    }

    public Path root() {
        return root;
    }

    Path tempFile(String bucket, String version) {
        return inside(tmp, tmp.resolve(check(bucket, version) + "__" + version + ".part"));
    }

    Path liveFile(String bucket, String version) {
        check(bucket, version);
        return inside(objects, objects.resolve(bucket).resolve(version.substring(0, 2)).resolve(version));
    }

    @Override
    public Sink openSink(String bucket, String version) throws IOException {
        Path file = tempFile(bucket, version);
        inFlight.add(file.getFileName().toString());
        boolean ok = false;
        try {
            Sink sink = openSink(file, bucket, version);
            ok = true;
            return sink;
        } finally {
            if (!ok) {
                inFlight.remove(file.getFileName().toString());
            }
        }
    }

    private Sink openSink(Path file, String bucket, String version) throws IOException {
        int align = directAlign;
        if (align > 0 && LocalSink.DIRECT_SINKS.tryAcquire()) {
            FileChannel ch;
            try {
                ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
            } catch (FileAlreadyExistsException e) {
                LocalSink.DIRECT_SINKS.release();
                throw e;
            } catch (IOException | UnsupportedOperationException e) {
                LocalSink.DIRECT_SINKS.release();
                directAlign = 0; // the filesystem refused it after all: the page cache from now on
                Files.deleteIfExists(file);
                return new LocalSink(file, bucket, version, FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 0, inFlight);
            }
            return new LocalSink(file, bucket, version, ch, align, inFlight);
        }
        return new LocalSink(file, bucket, version, FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 0, inFlight);
    }

    /**
     * Writes the staged file in order and hashes the same bytes for the ETag off the writing thread:
     * each {@link Etags#PART_SIZE} part has its own MD5, fed in order by at most one task at a time on
     * {@link Etags#HASHERS}, so consecutive parts are hashed in parallel while the writer goes on. The
     * written buffers are kept until hashed (callers hand them over: {@link Sink#write}); at most
     * {@value #MAX_UNHASHED} bytes per upload wait, the writer blocks beyond that (backpressure).
     *
     * <p>With O_DIRECT ({@code align > 0}) the bytes are gathered into an aligned direct buffer of
     * {@value #STAGE} bytes, written in whole buffers (the last one padded to the block size, then the
     * file truncated to its real size); the page cache is not involved. At most {@value #MAX_DIRECT}
     * sinks write this way at once (one buffer each, reused: direct memory stays bounded), further ones
     * write through the page cache. Durability is unchanged: {@link #finish} fsyncs (data, size and the
     * disk's cache) before the blob counts as staged.
     */
    static final class LocalSink implements Sink {
        static final int MAX_UNHASHED = 16 * 1024 * 1024;
        private static final int SLICE = 1024 * 1024;
        private static final int BATCH = 1024 * 1024;
        /** Largest block size O_DIRECT is used with. */
        static final int MAX_ALIGN = 64 * 1024;
        /** Bytes per O_DIRECT write (a multiple of every block size up to {@link #MAX_ALIGN}). */
        static final int STAGE = 1024 * 1024;
        static final int MAX_DIRECT = 16;
        static final Semaphore DIRECT_SINKS = new Semaphore(MAX_DIRECT);
        /** Unused O_DIRECT buffers ({@link #STAGE} + {@link #MAX_ALIGN} bytes); at most {@value #MAX_DIRECT} ever exist. */
        private static final ConcurrentLinkedQueue<ByteBuffer> BUFFERS = new ConcurrentLinkedQueue<>();

        private final Path file;
        private final String bucket;
        private final String version;
        private final FileChannel ch;
        private final int align;
        /** O_DIRECT buffer (its raw allocation in {@link #raw}); null when writing through the page cache. */
        private ByteBuffer stage;
        private ByteBuffer raw;
        private final Semaphore unhashed = new Semaphore(MAX_UNHASHED);
        private final List<PartHash> parts = new ArrayList<>();
        /** Slices of the current part not handed to its hasher yet (handed over per {@value #BATCH} bytes: fewer wake-ups). */
        private List<ByteBuffer> batch = new ArrayList<>();
        private int batchBytes;
        private long inPart;
        private long size;
        private boolean closed;

        private final Set<String> inFlight;

        /** {@code align > 0}: {@code ch} was opened with O_DIRECT (and holds a {@link #DIRECT_SINKS} permit). */
        LocalSink(Path file, String bucket, String version, FileChannel ch, int align, Set<String> inFlight) {
            this.inFlight = inFlight;
            this.file = file;
            this.bucket = bucket;
            this.version = version;
            this.ch = ch;
            this.align = align;
            if (align > 0) {
                ByteBuffer b = BUFFERS.poll();
                raw = b != null ? b : ByteBuffer.allocateDirect(STAGE + MAX_ALIGN);
                stage = raw.clear().alignedSlice(align).limit(STAGE).slice();
            }
        }

        @Override
        public void write(ByteBuffer bytes) throws IOException {
            ByteBuffer view = bytes.duplicate();
            int n = bytes.remaining();
            if (stage == null) {
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
            } else {
                while (bytes.hasRemaining()) {
                    int k = Math.min(bytes.remaining(), stage.remaining());
                    stage.put(stage.position(), bytes, bytes.position(), k);
                    stage.position(stage.position() + k);
                    bytes.position(bytes.position() + k);
                    if (!stage.hasRemaining()) {
                        flushStage();
                    }
                }
            }
            size += n;
            while (view.hasRemaining()) {
                if (parts.isEmpty() || inPart == Etags.PART_SIZE) {
                    handOver();
                    parts.add(new PartHash(unhashed));
                    inPart = 0;
                }
                int k = (int) Math.min(Math.min(view.remaining(), Etags.PART_SIZE - inPart), SLICE);
                ByteBuffer slice = view.slice();
                slice.limit(k);
                view.position(view.position() + k);
                try {
                    unhashed.acquire(k);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while hashing");
                }
                batch.add(slice);
                batchBytes += k;
                inPart += k;
                if (batchBytes >= BATCH) {
                    handOver();
                }
            }
        }

        private void handOver() {
            if (!batch.isEmpty()) {
                parts.get(parts.size() - 1).feed(batch);
                batch = new ArrayList<>();
                batchBytes = 0;
            }
        }

        @Override
        public Staged finish() throws IOException {
            boolean ok = false;
            try {
                if (parts.isEmpty()) {
                    parts.add(new PartHash(unhashed)); // the empty object: md5("")
                }
                handOver();
                parts.forEach(PartHash::seal);
                if (stage != null && stage.position() > 0) {
                    int tail = stage.position();
                    int padded = (tail + align - 1) / align * align;
                    while (stage.position() < padded) {
                        stage.put((byte) 0);
                    }
                    flushStage();
                    ch.truncate(size); // drop the padding of the last block
                }
                ch.force(true);
                ch.close();
                closed = true;
                releaseBuffer();
                List<byte[]> digests = new ArrayList<>(parts.size());
                for (PartHash p : parts) {
                    digests.add(p.digest.join());
                }
                ok = true;
                return new Staged(bucket, version, size, Etags.of(digests));
            } catch (java.util.concurrent.CompletionException e) {
                throw new IOException("hashing failed", e.getCause());
            } finally {
                if (!ok) {
                    abort();
                }
            }
        }

        /** Writes the whole O_DIRECT buffer (a multiple of the block size) at the end of the file. */
        private void flushStage() throws IOException {
            stage.flip();
            while (stage.hasRemaining()) {
                ch.write(stage);
            }
            stage.clear();
        }

        /** Returns the O_DIRECT buffer and permit (once). */
        private void releaseBuffer() {
            if (raw != null) {
                BUFFERS.offer(raw);
                raw = null;
                stage = null;
                DIRECT_SINKS.release();
            }
        }

        @Override
        public void abort() {
            try {
                if (!closed) {
                    closed = true;
                    ch.close();
                }
            } catch (IOException e) {
                // deleting it is what matters
            }
            releaseBuffer();
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // the sweeper retries at the next start
            } finally {
                inFlight.remove(file.getFileName().toString());
            }
        }
    }

    /** The MD5 of one part, fed in order by at most one hashing task at a time. */
    static final class PartHash {
        private static final List<ByteBuffer> SEAL = List.of();
        private final MessageDigest md5 = Etags.md5();
        private final ConcurrentLinkedQueue<List<ByteBuffer>> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger pending = new AtomicInteger();
        private final Semaphore unhashed;
        final CompletableFuture<byte[]> digest = new CompletableFuture<>();

        PartHash(Semaphore unhashed) {
            this.unhashed = unhashed;
        }

        void feed(List<ByteBuffer> bytes) {
            queue.add(bytes);
            if (pending.getAndIncrement() == 0) {
                Etags.HASHERS.execute(this::drain);
            }
        }

        /** No more bytes: the digest completes once the queued ones are hashed. */
        void seal() {
            feed(SEAL);
        }

        private void drain() {
            do {
                List<ByteBuffer> batch = queue.poll();
                if (batch == SEAL) {
                    digest.complete(md5.digest());
                } else {
                    int k = 0;
                    for (ByteBuffer b : batch) {
                        k += b.remaining();
                    }
                    try {
                        for (ByteBuffer b : batch) {
                            md5.update(b);
                        }
                    } catch (RuntimeException e) {
                        digest.completeExceptionally(e);
                    } finally {
                        unhashed.release(k);
                    }
                }
            } while (pending.decrementAndGet() > 0);
        }
    }

    @Override
    public Staged stageCopy(String bucket, String version, String toBucket, String toVersion) throws IOException {
        Path from = liveFile(bucket, version);
        if (!Files.exists(from)) {
            from = tempFile(bucket, version); // committed but not yet renamed
        }
        try (InputStream in = Files.newInputStream(from)) {
            return stage(toBucket, toVersion, in, Long.MAX_VALUE);
        }
    }

    /** The row committed: rename into place (a failure leaves a committed staged file, which the sweep rolls forward). */
    @Override
    public void publish(Staged staged) throws IOException {
        Path from = tempFile(staged.bucket(), staged.version());
        Path to = liveFile(staged.bucket(), staged.version());
        try {
            Files.createDirectories(to.getParent());
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
            fsyncDir(to.getParent());
        } finally {
            inFlight.remove(from.getFileName().toString());
        }
    }

    @Override
    public void discard(String bucket, String version) {
        Path file = tempFile(bucket, version);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the sweeper retries
        } finally {
            inFlight.remove(file.getFileName().toString());
        }
    }

    @Override
    public Optional<Blob> find(String bucket, String version) {
        Path live = liveFile(bucket, version);
        Path file = Files.isRegularFile(live) ? live : tempFile(bucket, version);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            long size = Files.size(file);
            return Optional.of(new Blob() {
                @Override
                public long size() {
                    return size;
                }

                @Override
                public Optional<Path> localFile() {
                    return Optional.of(file);
                }

                @Override
                public InputStream open(long offset, long length) throws IOException {
                    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                    ch.position(offset);
                    return new BoundedInputStream(Channels.newInputStream(ch), length);
                }
            });
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void delete(String bucket, String version) {
        try {
            Files.deleteIfExists(liveFile(bucket, version));
        } catch (IOException e) {
            // left for an operator; the row is gone so it is invisible
        }
    }

    @Override
    public int sweep(Predicate<String> committed) throws IOException {
        int handled = 0;
        Instant cutoff = Instant.now().minus(staleAge);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                if (inFlight.contains(n)) {
                    continue; // an upload of this process, still streaming or committing
                }
                try {
                    if (Files.getLastModifiedTime(f).toInstant().isAfter(cutoff)) {
                        continue;
                    }
                } catch (NoSuchFileException e) {
                    continue;
                }
                int sep = n.lastIndexOf("__");
                String bucket = sep > 0 ? n.substring(0, sep) : "";
                String version = sep > 0 && n.endsWith(".part") ? n.substring(sep + 2, n.length() - 5) : "";
                if (BUCKET.matcher(bucket).matches() && VERSION.matcher(version).matches() && committed.test(version)) {
                    publish(new Staged(bucket, version, Files.size(f), ""));
                } else {
                    Files.deleteIfExists(f);
                }
                handled++;
            }
        }
        return handled;
    }

    static String check(String bucket, String version) {
        if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..")
                || version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("bad blob address");
        }
        return bucket;
    }

    private static Path inside(Path base, Path p) {
        Path n = p.normalize();
        if (!n.startsWith(base)) {
            throw new IllegalArgumentException("blob path escapes the storage root");
        }
        return n;
    }

    private static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can fsync a directory
        }
    }

    /** Reads at most {@code remaining} bytes. */
    static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
