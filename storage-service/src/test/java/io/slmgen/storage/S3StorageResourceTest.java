package io.slmgen.storage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.slmgen.shared.testing.TestDatabase;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The same storage contract ({@link StorageContract}) with {@code storage.backend=s3} against a real
 * S3 API server (S3Proxy, started by {@link S3ProxyServer}): every route, policy, limit, quota,
 * content-safety and crash-safety test of the filesystem backend, on S3.
 */
@QuarkusTest
@WithTestResource(value = TestDatabase.class, initArgs = {@ResourceArg(name = "name", value = "storage_s3")})
@WithTestResource(value = TestStorageRoot.class, initArgs = {
        @ResourceArg(name = "storage.user-quota", value = StorageContract.QUOTA_MIB + "M"),
        // S3 cannot back-date a marker: leftovers become stale by waiting this long
        @ResourceArg(name = "storage.stale-temp-age", value = "2s")})
@WithTestResource(S3ProxyServer.class)
class S3StorageResourceTest extends StorageContract {

    static final Pattern STORE_KEY = Pattern.compile("(objects/[A-Za-z0-9_.\\-]+/[0-9a-f]{2}/|staging/[A-Za-z0-9_.\\-]+__)"
            + "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    static S3Client s3;

    static synchronized S3Client s3() {
        if (s3 == null) {
            s3 = S3ProxyServer.client();
        }
        return s3;
    }

    static List<String> keys(String under) {
        return s3().listObjectsV2Paginator(r -> r.bucket(S3ProxyServer.BUCKET).prefix(S3ProxyServer.prefix + under))
                .contents().stream().map(S3Object::key)
                .filter(k -> !k.endsWith("/")) // S3Proxy's filesystem backend lists its directories too
                .toList();
    }

    @Override
    long stagedCount() {
        long unfinished = s3().listMultipartUploads(r -> r.bucket(S3ProxyServer.BUCKET).prefix(S3ProxyServer.prefix))
                .uploads().size();
        return keys("staging/").size() + unfinished;
    }

    @Override
    void assertNothingOutsideTheStore() {
        for (String key : keys("")) {
            String k = key.substring(S3ProxyServer.prefix.length());
            assertTrue(STORE_KEY.matcher(k).matches(), "unexpected key " + key);
        }
    }

    static String marker(String bucket, String version) {
        return S3ProxyServer.prefix + "staging/" + bucket + "__" + version;
    }

    static String bytesKey(String bucket, String version) {
        return S3ProxyServer.prefix + "objects/" + bucket + "/" + version.substring(0, 2) + "/" + version;
    }

    @Override
    void stageLeftover(String bucket, String version, String content, boolean stale) {
        // what a replica that crashed between "bytes uploaded" and "marker deleted" leaves behind
        s3().putObject(r -> r.bucket(S3ProxyServer.BUCKET).key(marker(bucket, version)),
                RequestBody.fromString(bytesKey(bucket, version)));
        s3().putObject(r -> r.bucket(S3ProxyServer.BUCKET).key(bytesKey(bucket, version)), RequestBody.fromString(content));
    }

    @Override
    void ageLeftovers() throws InterruptedException {
        Thread.sleep(2300);
    }

    @Override
    boolean leftoverExists(String bucket, String version) {
        return keys("staging/").contains(marker(bucket, version));
    }

    @Override
    boolean blobStored(String bucket, String version) {
        return keys("objects/").contains(bytesKey(bucket, version));
    }
}
