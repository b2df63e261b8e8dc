package io.slmgen.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.restassured.RestAssured;
import io.slmgen.shared.testing.TokenMinter;

/**
 * A large object uploaded (chunked, as datasets-service streams it) and downloaded through the service
 * in a JVM started with -Xmx128m (surefire execution "large-upload-small-heap"): the app, the test and
 * the object cannot fit together unless both directions stream. The ETag is S3's multipart one (the
 * object is larger than one 8 MiB part), computed here by hand. Run per blob backend:
 * {@link LargeUploadStreamingTest} (local files, 256 MiB) and {@link LargeUploadStreamingS3Test}
 * (S3 against S3Proxy, 160 MiB: multipart upload with bounded part buffers, GetObject streamed).
 */
abstract class LargeUploadStreaming {

    /** Bytes sent: a multiple of 8 MiB, more than the heap. */
    abstract long size();

    @Test
    void moreThanTheHeapStreamsUpAndDown() throws Exception {
        long total = size();
        long maxHeap = Runtime.getRuntime().maxMemory();
        assertTrue(maxHeap <= 160L * 1024 * 1024, "run with -Xmx128m, heap is " + maxHeap);
        UUID user = UUID.randomUUID();
        String token = TokenMinter.user(user);
        String path = "/storage/v1/object/datasets/" + user + "/big/train.jsonl";

        MessageDigest sent = MessageDigest.getInstance("MD5");
        // S3's multipart ETag, by hand: MD5 of each 8 MiB part, then MD5 of the concatenated digests + "-<parts>"
        long partSize = 8L * 1024 * 1024;
        java.io.ByteArrayOutputStream partDigests = new java.io.ByteArrayOutputStream();
        MessageDigest part = MessageDigest.getInstance("MD5");
        long inPart = 0;
        HttpURLConnection up = open(path, token);
        up.setRequestMethod("POST");
        up.setDoOutput(true);
        up.setChunkedStreamingMode(256 * 1024);
        up.setRequestProperty("Content-Type", "application/x-ndjson");
        byte[] line = "{\"messages\":[{\"role\":\"user\",\"content\":\"0123456789abcdef0123456789abcdef01234567\"}]}\n"
                .getBytes();
        byte[] chunk = new byte[line.length * 1024];
        for (int i = 0; i < 1024; i++) {
            System.arraycopy(line, 0, chunk, i * line.length, line.length);
        }
        long written = 0;
        try (OutputStream out = up.getOutputStream()) {
            while (written < total) {
                int n = (int) Math.min(chunk.length, total - written);
                out.write(chunk, 0, n);
                sent.update(chunk, 0, n);
                for (int off = 0; off < n; ) {
                    int k = (int) Math.min(n - off, partSize - inPart);
                    part.update(chunk, off, k);
                    off += k;
                    inPart += k;
                    if (inPart == partSize) {
                        partDigests.write(part.digest());
                        inPart = 0;
                    }
                }
                written += n;
            }
        }
        int status = up.getResponseCode();
        // the answer's message says why (e.g. "upload interrupted: Java heap space")
        String refusal = status == 200 ? "" : new String(up.getErrorStream().readAllBytes());
        assertEquals(200, status, refusal);
        up.getInputStream().readAllBytes();

        HttpURLConnection down = open(path, token);
        assertEquals(200, down.getResponseCode());
        assertEquals(String.valueOf(total), down.getHeaderField("Content-Length"));
        MessageDigest got = MessageDigest.getInstance("MD5");
        long read = 0;
        byte[] buf = new byte[256 * 1024];
        try (InputStream in = down.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                got.update(buf, 0, n);
                read += n;
            }
        }
        assertEquals(total, read);
        String md5 = HexFormat.of().formatHex(sent.digest());
        assertEquals(md5, HexFormat.of().formatHex(got.digest()));
        assertEquals(0, inPart);
        long parts = total / partSize;
        assertEquals(parts * 16, partDigests.size());
        String multipartEtag = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(partDigests.toByteArray())) + "-" + parts;
        assertEquals("\"" + multipartEtag + "\"", open(path, token).getHeaderField("ETag"));
    }

    static HttpURLConnection open(String path, String token) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL("http://localhost:" + RestAssured.port + path).openConnection();
        c.setRequestProperty("apikey", TokenMinter.anonKey());
        c.setRequestProperty("Authorization", "Bearer " + token);
        return c;
    }
}
