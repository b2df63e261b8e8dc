package io.slmgen.storage.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 BlobStore against a real S3-compatible server. Runs only when one is configured, e.g. MinIO:
 * <pre>
 * ./mvnw -B -q test -pl storage-service -Dstorage.s3.test-endpoint=http://127.0.0.1:9000 \
 *   -Dstorage.s3.test-bucket=slmgen-test -Dstorage.s3.test-access-key=minioadmin \
 *   -Dstorage.s3.test-secret-key=minioadmin [-Dstorage.s3.test-region=us-east-1]
 * </pre>
 * (the bucket must exist; path-style addressing; every key is written under a random prefix and
 * removed). Skipped otherwise, with that message.
 */
class S3BlobStoreIntegrationTest {

    static final int MIB8 = 8 * 1024 * 1024;
    static S3Client client;
    static S3BlobStore store;
    static String prefix;

    static final String SKIPPED = "no S3 endpoint configured (-Dstorage.s3.test-endpoint=..., see this class's "
            + "comment and storage-service/README.md): S3 BlobStore integration test skipped";

    @BeforeAll
    static void connect() {
        String endpoint = System.getProperty("storage.s3.test-endpoint", "");
        if (endpoint.isBlank()) {
            System.out.println("[S3BlobStoreIntegrationTest] " + SKIPPED);
            return;
        }
        client = S3BlobStore.client(S3BlobStoreProtocolTest.config(Optional.of(endpoint),
                System.getProperty("storage.s3.test-region", "us-east-1"),
                Optional.ofNullable(System.getProperty("storage.s3.test-access-key")),
                Optional.ofNullable(System.getProperty("storage.s3.test-secret-key")), true));
        prefix = "slmgen-it-" + UUID.randomUUID() + "/";
        // stale age zero: every marker is stale for sweep()
        store = new S3BlobStore(client, System.getProperty("storage.s3.test-bucket", "slmgen-test"), prefix, Duration.ZERO);
    }

    @BeforeEach
    void onlyWithAnEndpoint() {
        assumeTrue(store != null, SKIPPED);
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
        assertEquals(0, store.sweep(v -> true)); // every marker was removed by publish
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
        assertEquals(3, store.sweep(v -> v.equals(committed)));
        assertTrue(store.find("datasets", committed).isPresent());
        assertFalse(store.find("datasets", lost).isPresent());
        assertFalse(store.find("datasets", unfinished).isPresent());
        assertEquals(0, store.sweep(v -> true));
        store.delete("datasets", committed);
    }
}
