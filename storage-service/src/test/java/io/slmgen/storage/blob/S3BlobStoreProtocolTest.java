package io.slmgen.storage.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.slmgen.storage.StorageConfig;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 BlobStore without an S3 server: key naming, config wiring (endpoint, region, static
 * credentials, path style) and the order of S3 calls of each step, observed on a local HTTP listener
 * that records the requests and gives the minimal answers the SDK needs. Whether a real S3 accepts
 * them is {@link S3BlobStoreIntegrationTest}'s job (runs only where an endpoint is configured).
 */
public class S3BlobStoreProtocolTest {

    static final int MIB8 = 8 * 1024 * 1024;
    static final String V = "0f1e2d3c-4b5a-4968-8776-655443322110";

    record Call(String method, String path, String query, String contentMd5, String authorization, String range,
                byte[] body) {
        String line() {
            return method + " " + path + (query == null ? "" : "?" + query);
        }
    }

    HttpServer server;
    final List<Call> calls = new ArrayList<>();
    /** Keys the listing answers with, and their LastModified. */
    final List<String[]> listing = new ArrayList<>();
    S3Client client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        client = S3BlobStore.client(config(Optional.of("http://127.0.0.1:" + server.getAddress().getPort()),
                "eu-west-1", Optional.of("AKIDTEST"), Optional.of("secret-test"), true));
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void keysAreNamedByBucketAndVersionUnderThePrefix() {
        S3BlobStore store = new S3BlobStore(client, "bkt", "/slmgen", Duration.ofMinutes(15));
        assertEquals("slmgen/objects/datasets/0f/" + V, store.objectKey("datasets", V));
        assertEquals("slmgen/staging/datasets__" + V, store.markerKey("datasets", V));
        S3BlobStore bare = new S3BlobStore(client, "bkt", "", Duration.ofMinutes(15));
        assertEquals("objects/avatars/0f/" + V, bare.objectKey("avatars", V));
        assertThrows(IllegalArgumentException.class, () -> bare.objectKey("../x", V));
        assertThrows(IllegalArgumentException.class, () -> bare.objectKey("datasets", "../../" + V));
        assertThrows(IllegalArgumentException.class, () -> bare.objectKey("datasets", "not-a-uuid"));
        assertThrows(IllegalArgumentException.class, () -> new S3BlobStore(client, "", "", Duration.ofMinutes(15)));
    }

    @Test
    void credentialsMustComeInPairs() {
        assertThrows(IllegalArgumentException.class, () -> S3BlobStore.client(
                config(Optional.empty(), "us-east-1", Optional.of("AKID"), Optional.empty(), false)));
    }

    @Test
    void smallObjectIsOnePutAfterItsMarker() throws Exception {
        S3BlobStore store = new S3BlobStore(client, "bkt", "p", Duration.ofMinutes(15));
        byte[] data = "0123456789".getBytes(StandardCharsets.US_ASCII);
        BlobStore.Sink sink = store.openSink("datasets", V);
        sink.write(ByteBuffer.wrap(data));
        BlobStore.Staged staged = sink.finish();
        assertEquals("781e5e245d69b566979b86e28d23f2c7", staged.etag()); // md5("0123456789")
        assertEquals(10, staged.size());
        assertEquals(List.of("PUT /bkt/p/staging/datasets__" + V, "PUT /bkt/p/objects/datasets/0f/" + V), lines());
        Call put = calls.get(1);
        assertArrayEquals(data, put.body());
        assertEquals(Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data)), put.contentMd5());
        // static credentials and the configured region sign the request
        assertTrue(put.authorization().contains("Credential=AKIDTEST/"), put.authorization());
        assertTrue(put.authorization().contains("/eu-west-1/s3/aws4_request"), put.authorization());

        calls.clear();
        store.publish(staged); // the row committed: only the marker goes
        assertEquals(List.of("DELETE /bkt/p/staging/datasets__" + V), lines());
    }

    @Test
    void largeObjectIsAMultipartUploadWithS3sEtag() throws Exception {
        S3BlobStore store = new S3BlobStore(client, "bkt", "", Duration.ofMinutes(15));
        byte[] data = new byte[2 * MIB8 + 5];
        new Random(7).nextBytes(data);
        BlobStore.Sink sink = store.openSink("datasets", V);
        for (int off = 0; off < data.length; off += 100_000) {
            sink.write(ByteBuffer.wrap(data, off, Math.min(100_000, data.length - off)));
        }
        BlobStore.Staged staged = sink.finish();
        assertEquals(LocalSinkEtagTest.byHand(data), staged.etag());
        assertTrue(staged.etag().endsWith("-3"));
        String key = "/bkt/objects/datasets/0f/" + V;
        List<String> lines = lines();
        assertEquals("PUT /bkt/staging/datasets__" + V, lines.get(0));
        assertEquals("POST " + key + "?uploads", lines.get(1));
        assertEquals(List.of("PUT " + key + "?partNumber=1&uploadId=up-1", "PUT " + key + "?partNumber=2&uploadId=up-1",
                "PUT " + key + "?partNumber=3&uploadId=up-1"), lines.subList(2, 5).stream().sorted().toList());
        assertEquals("POST " + key + "?uploadId=up-1", lines.get(5));
        assertEquals(6, lines.size());
        for (Call c : calls.subList(2, 5)) {
            int part = Integer.parseInt(c.query().replaceAll("partNumber=(\\d+).*", "$1"));
            int from = (part - 1) * MIB8;
            byte[] expected = java.util.Arrays.copyOfRange(data, from, Math.min(data.length, from + MIB8));
            assertArrayEquals(expected, c.body(), "part " + part);
            assertEquals(Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(expected)), c.contentMd5());
        }
        String complete = new String(calls.get(5).body(), StandardCharsets.UTF_8);
        // every part, in order, with the ETag S3 answered for it
        assertTrue(complete.contains("<Part><ETag>&quot;etag-1&quot;</ETag><PartNumber>1</PartNumber></Part>"
                + "<Part><ETag>&quot;etag-2&quot;</ETag><PartNumber>2</PartNumber></Part>"
                + "<Part><ETag>&quot;etag-3&quot;</ETag><PartNumber>3</PartNumber></Part></CompleteMultipartUpload>"), complete);
    }

    @Test
    void abortDropsTheUploadTheBytesAndTheMarker() throws Exception {
        S3BlobStore store = new S3BlobStore(client, "bkt", "", Duration.ofMinutes(15));
        BlobStore.Sink sink = store.openSink("datasets", V);
        sink.write(ByteBuffer.wrap(new byte[MIB8 + 1]));
        sink.abort();
        String key = "/bkt/objects/datasets/0f/" + V;
        List<String> lines = lines();
        assertEquals(List.of("PUT /bkt/staging/datasets__" + V, "POST " + key + "?uploads",
                "PUT " + key + "?partNumber=1&uploadId=up-1", "DELETE " + key + "?uploadId=up-1", "DELETE " + key,
                "DELETE /bkt/staging/datasets__" + V), lines);
    }

    @Test
    void rangedReadsAskForTheRange() throws Exception {
        S3BlobStore store = new S3BlobStore(client, "bkt", "", Duration.ofMinutes(15));
        BlobStore.Blob blob = store.find("datasets", V).orElseThrow();
        assertEquals(10, blob.size());
        try (var in = blob.open(2, 5)) {
            assertEquals("23456", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
        assertEquals("bytes=2-6", calls.get(1).range());
        assertTrue(blob.localFile().isEmpty());
        String missing = UUID.randomUUID().toString();
        assertFalse(store.find("datasets", missing).isPresent());
    }

    @Test
    void sweepRollsCommittedMarkersForwardAndDiscardsTheOthers() throws Exception {
        S3BlobStore store = new S3BlobStore(client, "bkt", "", Duration.ofMinutes(15));
        String committed = "11111111-2222-4333-8444-555555555555";
        String lost = "66666666-7777-4888-9999-aaaaaaaaaaaa";
        String fresh = "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff";
        listing.add(new String[] {"staging/datasets__" + committed, "2020-01-01T00:00:00.000Z"});
        listing.add(new String[] {"staging/notebooks__" + lost, "2020-01-01T00:00:00.000Z"});
        listing.add(new String[] {"staging/datasets__" + fresh, java.time.Instant.now().toString()});
        int handled = store.sweep(v -> v.equals(committed));
        assertEquals(2, handled);
        String lostKey = "/bkt/objects/notebooks/66/" + lost;
        assertEquals(List.of("GET /bkt?list-type=2&prefix=staging%2F",
                "DELETE /bkt/staging/datasets__" + committed,
                "GET /bkt?uploads&prefix=objects%2Fnotebooks%2F66%2F" + lost,
                "DELETE " + lostKey + "?uploadId=stale-upload",
                "DELETE " + lostKey,
                "DELETE /bkt/staging/notebooks__" + lost), lines());
    }

    // ---------------------------------------------------------------- the recording listener

    private List<String> lines() {
        synchronized (calls) {
            return calls.stream().map(Call::line).collect(Collectors.toList());
        }
    }

    private void answer(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        String query = ex.getRequestURI().getRawQuery();
        var h = ex.getRequestHeaders();
        byte[] body = unchunk(ex.getRequestBody().readAllBytes(), h.getFirst("x-amz-content-sha256"));
        synchronized (calls) {
            calls.add(new Call(method, path, query, h.getFirst("Content-MD5"), h.getFirst("Authorization"),
                    h.getFirst("Range"), body));
        }
        String q = query == null ? "" : query;
        String xml = null;
        int status = 200;
        byte[] out = new byte[0];
        if (method.equals("POST") && q.equals("uploads")) {
            xml = "<InitiateMultipartUploadResult><Bucket>bkt</Bucket><Key>k</Key><UploadId>up-1</UploadId></InitiateMultipartUploadResult>";
        } else if (method.equals("PUT") && q.contains("partNumber=")) {
            ex.getResponseHeaders().add("ETag", "\"etag-" + q.replaceAll("partNumber=(\\d+).*", "$1") + "\"");
        } else if (method.equals("POST") && q.startsWith("uploadId=")) {
            xml = "<CompleteMultipartUploadResult><Bucket>bkt</Bucket><Key>k</Key><ETag>\"whole-3\"</ETag></CompleteMultipartUploadResult>";
        } else if (method.equals("PUT")) {
            ex.getResponseHeaders().add("ETag", "\"put\"");
        } else if (method.equals("DELETE")) {
            status = 204;
        } else if (method.equals("GET") && q.contains("list-type=2")) {
            StringBuilder s = new StringBuilder("<ListBucketResult><Name>bkt</Name><IsTruncated>false</IsTruncated>");
            for (String[] o : listing) {
                s.append("<Contents><Key>").append(o[0]).append("</Key><LastModified>").append(o[1])
                        .append("</LastModified><Size>0</Size></Contents>");
            }
            xml = s.append("</ListBucketResult>").toString();
        } else if (method.equals("GET") && q.contains("uploads")) {
            String key = java.net.URLDecoder.decode(q.replaceAll(".*prefix=([^&]*).*", "$1"), StandardCharsets.UTF_8);
            xml = "<ListMultipartUploadsResult><Bucket>bkt</Bucket><IsTruncated>false</IsTruncated><Upload><Key>" + key
                    + "</Key><UploadId>stale-upload</UploadId></Upload></ListMultipartUploadsResult>";
        } else if (method.equals("HEAD") || method.equals("GET")) {
            if (!path.endsWith(V)) {
                status = 404;
            } else if (method.equals("HEAD")) {
                ex.getResponseHeaders().add("Content-Length", "10");
                ex.sendResponseHeaders(200, -1);
                ex.close();
                return;
            } else {
                String r = h.getFirst("Range").substring(6);
                int from = Integer.parseInt(r.split("-")[0]);
                int to = Integer.parseInt(r.split("-")[1]);
                out = "0123456789".substring(from, to + 1).getBytes(StandardCharsets.US_ASCII);
                status = 206;
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/10");
            }
        }
        if (xml != null) {
            out = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + xml.replaceFirst(">", " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"))
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/xml");
        }
        if (status == 204 || (status == 404 && method.equals("HEAD"))) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            ex.getResponseBody().write(out);
        }
        ex.close();
    }

    /**
     * Over plain http the SDK signs the payload chunk by chunk ("aws-chunked":
     * {@code <hex size>;chunk-signature=...\r\n<bytes>\r\n}, ending with a zero-size chunk): the data.
     */
    static byte[] unchunk(byte[] raw, String sha256Header) {
        if (sha256Header == null || !sha256Header.startsWith("STREAMING-")) {
            return raw;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int pos = 0;
        while (true) {
            int eol = indexOfCrlf(raw, pos);
            String head = new String(raw, pos, eol - pos, StandardCharsets.US_ASCII);
            int size = Integer.parseInt(head.split(";")[0], 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(raw, eol + 2, size);
            pos = eol + 2 + size + 2;
        }
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i < b.length - 1; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalStateException("malformed aws-chunked body");
    }

    public static StorageConfig.S3 config(Optional<String> endpoint, String region, Optional<String> key, Optional<String> secret,
                                   boolean pathStyle) {
        return new StorageConfig.S3() {
            public Optional<String> endpoint() {
                return endpoint;
            }

            public String region() {
                return region;
            }

            public Optional<String> bucket() {
                return Optional.of("bkt");
            }

            public Optional<String> accessKey() {
                return key;
            }

            public Optional<String> secretKey() {
                return secret;
            }

            public boolean forcePathStyle() {
                return pathStyle;
            }

            public Optional<String> keyPrefix() {
                return Optional.empty();
            }
        };
    }
}
