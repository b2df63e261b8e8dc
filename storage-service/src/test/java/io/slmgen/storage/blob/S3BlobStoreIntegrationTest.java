package io.slmgen.storage.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.slmgen.storage.S3ProxyServer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 BlobStore against a real S3 API server: S3Proxy started by the tests ({@link S3ProxyServer},
 * filesystem backend), or another S3-compatible server when one is named, e.g. MinIO:
 * <pre>
 * ./mvnw -B -q verify -pl storage-service -am -Dtest=S3BlobStoreIntegrationTest -Dstorage.s3.test-endpoint=http://127.0.0.1:9000 \
 *   -Dstorage.s3.test-bucket=slmgen-test -Dstorage.s3.test-access-key=minioadmin \
 *   -Dstorage.s3.test-secret-key=minioadmin [-Dstorage.s3.test-region=us-east-1]
 * </pre>
 * (that bucket must exist; path-style addressing). Every key is written under a random prefix.
 */
class S3BlobStoreIntegrationTest {

    static final int MIB8 = 8 * 1024 * 1024;
    static S3Client client;
    static S3BlobStore store;
    static String bucket;
    static String prefix;

    @BeforeAll
    static void connect() {
        String endpoint = System.getProperty("storage.s3.test-endpoint", "");
        if (endpoint.isBlank()) {
            client = S3ProxyServer.client();
            bucket = S3ProxyServer.BUCKET;
        } else {
            client = S3BlobStore.client(S3BlobStoreProtocolTest.config(Optional.of(endpoint),
                    System.getProperty("storage.s3.test-region", "us-east-1"),
                    Optional.ofNullable(System.getProperty("storage.s3.test-access-key")),
                    Optional.ofNullable(System.getProperty("storage.s3.test-secret-key")), true));
            bucket = System.getProperty("storage.s3.test-bucket", "slmgen-test");
        }
        prefix = "slmgen-it-" + UUID.randomUUID() + "/";
        // stale age zero: every marker not in flight is stale for sweep()
        store = new S3BlobStore(client, bucket, prefix, Duration.ZERO);
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void smallAndMultipartObjectsRoundTrip() throws Exception {
        for (int size : new int[] {0, 10, MIB8, 2 * MIB8 + 5}) {
            byte[] data = new byte[size];
            new Random(size).nextBytes(data);
            String v = UUID.randomUUID().toString();
            BlobStore.Staged staged = store.stage("datasets", v, new ByteArrayInputStream(data), Long.MAX_VALUE);
            assertEquals(LocalSinkEtagTest.byHand(data), staged.etag(), "size " + size);
            store.publish(staged);
            BlobStore.Blob blob = store.find("datasets", v).orElseThrow();
            assertEquals(size, blob.size());
            try (InputStream in = blob.open(0, size)) {
                assertArrayEquals(data, in.readAllBytes());
            }
            if (size > MIB8 + 10) { // a range across the first part boundary
                try (InputStream in = blob.open(MIB8 - 3, 10)) {
                    assertArrayEquals(java.util.Arrays.copyOfRange(data, MIB8 - 3, MIB8 + 7), in.readAllBytes());
                }
            }
            // a copy is a new version with the same bytes
            String copy = UUID.randomUUID().toString();
            store.publish(store.stageCopy("datasets", v, "notebooks", copy));
            try (InputStream in = store.find("notebooks", copy).orElseThrow().open(0, size)) {
                assertArrayEquals(data, in.readAllBytes());
            }
            store.delete("datasets", v);
            store.delete("notebooks", copy);
            assertFalse(store.find("datasets", v).isPresent());
        }
        assertEquals(List.of(), keys("staging/")); // every marker was removed by publish
        assertEquals(List.of(), keys("objects/"));
    }

    @Test
    void sweepKeepsCommittedAndDropsUncommittedAndUnfinished() throws Exception {
        String committed = UUID.randomUUID().toString();
        String lost = UUID.randomUUID().toString();
        String unfinished = UUID.randomUUID().toString();
        store.stage("datasets", committed, new ByteArrayInputStream("kept".getBytes()), 100); // not published
        store.stage("datasets", lost, new ByteArrayInputStream("lost".getBytes()), 100);
        BlobStore.Sink open = store.openSink("datasets", unfinished); // a crash mid-multipart
        open.write(ByteBuffer.wrap(new byte[MIB8 + 1]));
        Thread.sleep(1100);
        // as another replica (or this one after a restart) sees them: nothing of theirs is in flight here
        S3BlobStore replica = new S3BlobStore(client, bucket, prefix, Duration.ZERO);
        assertEquals(0, store.sweep(v -> false), "this process's own uploads in progress are never swept");
        assertEquals(3, replica.sweep(v -> v.equals(committed)));
        assertTrue(store.find("datasets", committed).isPresent());
        assertFalse(store.find("datasets", lost).isPresent());
        assertFalse(store.find("datasets", unfinished).isPresent());
        String unfinishedKey = store.objectKey("datasets", unfinished);
        assertTrue(client.listMultipartUploads(r -> r.bucket(bucket).prefix(unfinishedKey)).uploads().isEmpty(),
                "the unfinished multipart upload was aborted");
        assertEquals(0, replica.sweep(v -> true));
        open.abort();
        store.delete("datasets", committed);
        assertEquals(List.of(), keys("staging/"));
    }

    @Test
    void keepAliveStopsAnotherReplicaFromSweepingARunningUpload() throws Exception {
        // this replica: stale age 6 s, so its markers are re-written once they are 2 s old; the other one
        // takes markers older than 2 s (S3Proxy's filesystem backend dates objects to the second)
        S3BlobStore here = new S3BlobStore(client, bucket, prefix, Duration.ofSeconds(6));
        S3BlobStore other = new S3BlobStore(client, bucket, prefix, Duration.ofSeconds(2));
        String slow = UUID.randomUUID().toString();
        String silent = UUID.randomUUID().toString();
        BlobStore.Sink slowSink = here.openSink("datasets", slow); // a slow client: nothing written for a while
        BlobStore.Sink silentSink = store.openSink("datasets", silent); // same, in a replica whose keep-alive never runs
        Thread.sleep(2500);
        here.keepAlive();
        assertEquals(1, other.sweep(v -> false), "only the marker nobody kept alive is taken");
        assertTrue(keys("staging/").stream().anyMatch(k -> k.endsWith(slow)));
        assertFalse(keys("staging/").stream().anyMatch(k -> k.endsWith(silent)));
        slowSink.write(java.nio.ByteBuffer.wrap("late bytes".getBytes()));
        BlobStore.Staged staged = slowSink.finish();
        here.publish(staged);
        try (InputStream in = here.find("datasets", slow).orElseThrow().open(0, 10)) {
            assertArrayEquals("late bytes".getBytes(), in.readAllBytes());
        }
        silentSink.abort();
        here.delete("datasets", slow);
        assertEquals(List.of(), keys("staging/"));
    }

    /** Keys under this test's prefix + {@code under}. */
    static List<String> keys(String under) {
        return client.listObjectsV2(r -> r.bucket(bucket).prefix(prefix + under)).contents().stream()
                .map(o -> o.key()).filter(k -> !k.endsWith("/")).toList(); // S3Proxy's filesystem backend lists directories
    }
}
