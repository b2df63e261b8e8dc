package io.slmgen.storage.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Blobs on the local filesystem: {@code <root>/tmp/<bucket>__<version>.part} while staged,
 * {@code <root>/objects/<bucket>/<vv>/<version>} once published. Staging writes, fsyncs and closes
 * the temp file (its parts hashed in parallel for the ETag); publishing is one atomic rename within the
 * same filesystem.
 */
public class LocalBlobStore implements BlobStore {

    static final Pattern VERSION = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,99}");

    private final Path root;
    private final Path tmp;
    private final Path objects;
    private final Duration staleAge;

    public LocalBlobStore(Path root, Duration staleAge) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve("tmp");
        this.objects = this.root.resolve("objects");
        this.staleAge = staleAge;
        Files.createDirectories(tmp);
        Files.createDirectories(objects);
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
        return new LocalSink(file, bucket, version, FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    /**
     * Writes the staged file in order; every completed part ({@link Etags#PART_SIZE}) is hashed on
     * {@link Etags#HASHERS} by reading it back from the file (page cache) while the next parts are
     * written, so the ETag costs no time on the writing thread. At most {@value #PARTS_IN_FLIGHT} parts
     * per upload wait for their hash; the writer blocks beyond that (backpressure).
     */
    static final class LocalSink implements Sink {
        private static final int PARTS_IN_FLIGHT = 4;
        private static final ThreadLocal<byte[]> READ_BUFFER = ThreadLocal.withInitial(() -> new byte[256 * 1024]);

        private final Path file;
        private final String bucket;
        private final String version;
        private final FileChannel ch;
        private final Semaphore inFlight = new Semaphore(PARTS_IN_FLIGHT);
        private final List<CompletableFuture<byte[]>> parts = new ArrayList<>();
        private long size;
        private boolean closed;

        LocalSink(Path file, String bucket, String version, FileChannel ch) {
            this.file = file;
            this.bucket = bucket;
            this.version = version;
            this.ch = ch;
        }

        @Override
        public void write(ByteBuffer bytes) throws IOException {
            int n = bytes.remaining();
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            size += n;
            while (size >= (long) (parts.size() + 1) * Etags.PART_SIZE) {
                hashPart(parts.size(), Etags.PART_SIZE);
            }
        }

        @Override
        public Staged finish() throws IOException {
            boolean ok = false;
            try {
                long rest = size - (long) parts.size() * Etags.PART_SIZE;
                if (rest > 0 || parts.isEmpty()) {
                    hashPart(parts.size(), (int) rest);
                }
                ch.force(true);
                ch.close();
                closed = true;
                List<byte[]> digests = new ArrayList<>(parts.size());
                for (CompletableFuture<byte[]> p : parts) {
                    digests.add(p.join());
                }
                ok = true;
                return new Staged(bucket, version, size, Etags.of(digests));
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } finally {
                if (!ok) {
                    abort();
                }
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
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // the sweeper retries at the next start
            }
        }

        private void hashPart(int index, int length) throws IOException {
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while hashing");
            }
            long start = (long) index * Etags.PART_SIZE;
            parts.add(CompletableFuture.supplyAsync(() -> {
                try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                    MessageDigest md5 = Etags.md5();
                    byte[] buf = READ_BUFFER.get();
                    ByteBuffer bb = ByteBuffer.wrap(buf);
                    long pos = start;
                    long end = start + length;
                    while (pos < end) {
                        bb.clear().limit((int) Math.min(buf.length, end - pos));
                        int r = in.read(bb, pos);
                        if (r < 0) {
                            throw new IOException("staged file shorter than written");
                        }
                        md5.update(buf, 0, r);
                        pos += r;
                    }
                    return md5.digest();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } finally {
                    inFlight.release();
                }
            }, Etags.HASHERS));
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

    @Override
    public void publish(Staged staged) throws IOException {
        Path from = tempFile(staged.bucket(), staged.version());
        Path to = liveFile(staged.bucket(), staged.version());
        Files.createDirectories(to.getParent());
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        fsyncDir(to.getParent());
    }

    @Override
    public void discard(String bucket, String version) {
        try {
            Files.deleteIfExists(tempFile(bucket, version));
        } catch (IOException e) {
            // the sweeper retries at the next start
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
