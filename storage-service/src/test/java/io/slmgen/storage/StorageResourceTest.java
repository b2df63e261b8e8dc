package io.slmgen.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.slmgen.shared.testing.TestDatabase;

/** The storage contract ({@link StorageContract}) with blobs on the local filesystem (a temporary STORAGE_ROOT). */
@QuarkusTest
@WithTestResource(value = TestDatabase.class, initArgs = {@ResourceArg(name = "name", value = "storage")})
@WithTestResource(value = TestStorageRoot.class, initArgs = {
        @ResourceArg(name = "storage.user-quota", value = StorageContract.QUOTA_MIB + "M")})
class StorageResourceTest extends StorageContract {

    static Path tmp() {
        return TestStorageRoot.root.resolve("tmp");
    }

    @Override
    long stagedCount() throws Exception {
        try (Stream<Path> s = Files.list(tmp())) {
            return s.count();
        }
    }

    @Override
    void assertNothingOutsideTheStore() throws Exception {
        try (Stream<Path> s = Files.list(TestStorageRoot.root)) {
            assertEquals(List.of("objects", "tmp"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Override
    void stageLeftover(String bucket, String version, String content, boolean stale) throws Exception {
        Path f = tmp().resolve(bucket + "__" + version + ".part");
        Files.writeString(f, content);
        if (stale) {
            Files.setLastModifiedTime(f, FileTime.from(Instant.now().minusSeconds(3600)));
        }
    }

    @Override
    void ageLeftovers() {
        // made an hour old already
    }

    @Override
    boolean leftoverExists(String bucket, String version) {
        return Files.exists(tmp().resolve(bucket + "__" + version + ".part"));
    }

    @Override
    boolean blobStored(String bucket, String version) {
        return Files.exists(TestStorageRoot.root.resolve("objects").resolve(bucket).resolve(version.substring(0, 2))
                .resolve(version));
    }
}
