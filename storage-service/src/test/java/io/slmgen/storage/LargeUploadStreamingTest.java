package io.slmgen.storage;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.slmgen.shared.testing.TestDatabase;

/** 256 MiB up and down through a 128 MiB heap, blobs on the local filesystem (sendfile down). */
@QuarkusTest
@WithTestResource(value = TestDatabase.class, initArgs = {@ResourceArg(name = "name", value = "storage_large")})
@WithTestResource(TestStorageRoot.class)
class LargeUploadStreamingTest extends LargeUploadStreaming {

    @Override
    long size() {
        return 256L * 1024 * 1024;
    }
}
