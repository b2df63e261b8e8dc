package io.slmgen.storage;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.slmgen.shared.testing.TestDatabase;

/**
 * 160 MiB up and down through a 144 MiB heap (storage-service/pom.xml) in S3 mode against S3Proxy: a multipart upload of 20
 * parts with at most three 8 MiB buffers per upload, and a GetObject streamed to the client.
 */
@QuarkusTest
@WithTestResource(value = TestDatabase.class, initArgs = {@ResourceArg(name = "name", value = "storage_large_s3")})
@WithTestResource(TestStorageRoot.class)
@WithTestResource(S3ProxyServer.class)
class LargeUploadStreamingS3Test extends LargeUploadStreaming {

    @Override
    long size() {
        return 160L * 1024 * 1024;
    }
}
