package io.slmgen.storage.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local store's ETags: plain MD5 up to one 8 MiB part, S3's multipart ETag above, with the parts
 * hashed in parallel. Expected values are computed here by hand from the bytes.
 */
class LocalSinkEtagTest {

    static final int MIB8 = 8 * 1024 * 1024;

    @TempDir
    Path root;

    @Test
    void etagAtEveryPartBoundary() throws Exception {
        roundTrips(new LocalBlobStore(root.resolve("default"), Duration.ofMinutes(15)));
    }

    /** The same through the page cache (STORAGE_DIRECT_IO=false, or a filesystem without O_DIRECT). */
    @Test
    void etagAtEveryPartBoundaryThroughThePageCache() throws Exception {
        LocalBlobStore store = new LocalBlobStore(root.resolve("buffered"), Duration.ofMinutes(15), false);
        assertFalse(store.directWrites());
        roundTrips(store);
    }

    private static void roundTrips(LocalBlobStore store) throws Exception {
        Random random = new Random(42);
        int stage = LocalBlobStore.LocalSink.STAGE;
        for (long size : new long[] {0, 1, 4095, 4096, 4097, 100_000, stage - 1, stage, stage + 1, MIB8 - 1, MIB8, MIB8 + 1,
                2L * MIB8, 3L * MIB8 + 5}) {
            byte[] data = new byte[(int) size];
            random.nextBytes(data);
            String version = UUID.randomUUID().toString();
            BlobStore.Sink sink = store.openSink("datasets", version);
            // odd chunk sizes, so chunks straddle the part (and O_DIRECT buffer) boundaries
            for (int off = 0; off < data.length; ) {
                int n = Math.min(data.length - off, 65_537 + random.nextInt(300_000));
                sink.write(ByteBuffer.wrap(data, off, n));
                off += n;
            }
            BlobStore.Staged staged = sink.finish();
            assertEquals(size, staged.size());
            assertEquals(size, Files.size(store.tempFile("datasets", version)), "no padding left in the file");
            assertEquals(byHand(data), staged.etag(), "size " + size);
            store.publish(staged);
            assertEquals(size, Files.size(store.liveFile("datasets", version)));
            assertArrayEquals(data, store.find("datasets", version).orElseThrow().open(0, size).readAllBytes());
        }
        if (store.directWrites()) {
            assertEquals(LocalBlobStore.LocalSink.MAX_DIRECT, LocalBlobStore.LocalSink.DIRECT_SINKS.availablePermits(),
                    "every finished sink gave its O_DIRECT buffer back");
        }
    }

    /** More O_DIRECT sinks open at once than there are buffers: the rest write through the page cache, all correct. */
    @Test
    void moreConcurrentSinksThanDirectBuffers() throws Exception {
        LocalBlobStore store = new LocalBlobStore(root, Duration.ofMinutes(15));
        int n = LocalBlobStore.LocalSink.MAX_DIRECT + 3;
        byte[][] data = new byte[n][];
        BlobStore.Sink[] sinks = new BlobStore.Sink[n];
        String[] versions = new String[n];
        Random random = new Random(7);
        for (int i = 0; i < n; i++) {
            data[i] = new byte[5000 + i];
            random.nextBytes(data[i]);
            versions[i] = UUID.randomUUID().toString();
            sinks[i] = store.openSink("datasets", versions[i]);
            sinks[i].write(ByteBuffer.wrap(data[i]));
        }
        sinks[0].abort();
        for (int i = 1; i < n; i++) {
            store.publish(sinks[i].finish());
            assertArrayEquals(data[i], Files.readAllBytes(store.liveFile("datasets", versions[i])));
        }
        assertFalse(Files.exists(store.tempFile("datasets", versions[0])));
        if (store.directWrites()) {
            assertEquals(LocalBlobStore.LocalSink.MAX_DIRECT, LocalBlobStore.LocalSink.DIRECT_SINKS.availablePermits());
        }
    }

    @Test
    void knownValues() throws Exception {
        LocalBlobStore store = new LocalBlobStore(root, Duration.ofMinutes(15));
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", stage(store, new byte[0]).etag()); // md5("")
        assertEquals("781e5e245d69b566979b86e28d23f2c7", stage(store, "0123456789".getBytes()).etag());
        byte[] ninePlusOne = new byte[MIB8 + 1]; // 8 MiB of zeros + one zero
        String etag = stage(store, ninePlusOne).etag();
        assertTrue(etag.endsWith("-2"), etag);
        assertEquals(byHand(ninePlusOne), etag);
    }

    @Test
    void tooLargeRemovesTheStagedFile() throws Exception {
        LocalBlobStore store = new LocalBlobStore(root, Duration.ofMinutes(15));
        String version = UUID.randomUUID().toString();
        assertThrows(BlobStore.TooLargeException.class,
                () -> store.stage("datasets", version, new ByteArrayInputStream(new byte[MIB8 + 10]), MIB8));
        assertFalse(Files.exists(store.tempFile("datasets", version)));
        try (var files = Files.list(root.resolve("tmp"))) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void abortDeletesTheStagedFile() throws Exception {
        LocalBlobStore store = new LocalBlobStore(root, Duration.ofMinutes(15));
        String version = UUID.randomUUID().toString();
        BlobStore.Sink sink = store.openSink("datasets", version);
        sink.write(ByteBuffer.wrap(new byte[MIB8 + 3]));
        assertTrue(Files.exists(store.tempFile("datasets", version)));
        sink.abort();
        assertFalse(Files.exists(store.tempFile("datasets", version)));
        assertTrue(store.find("datasets", version).isEmpty());
    }

    private static BlobStore.Staged stage(LocalBlobStore store, byte[] data) throws Exception {
        return store.stage("datasets", UUID.randomUUID().toString(), new ByteArrayInputStream(data), Long.MAX_VALUE);
    }

    /** S3's rule, written out: one part → md5 hex; n parts → md5(concat(md5 of each part)) + "-n". */
    static String byHand(byte[] data) throws Exception {
        if (data.length <= MIB8) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        }
        ByteArrayOutputStream digests = new ByteArrayOutputStream();
        int parts = 0;
        for (int off = 0; off < data.length; off += MIB8) {
            MessageDigest part = MessageDigest.getInstance("MD5");
            part.update(data, off, Math.min(MIB8, data.length - off));
            digests.write(part.digest());
            parts++;
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(digests.toByteArray())) + "-" + parts;
    }
}
