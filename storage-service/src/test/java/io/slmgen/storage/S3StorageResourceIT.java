package io.slmgen.storage;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link S3StorageResourceTest} (S3 against S3Proxy) against the built artifact (the jar, or the native executable with
 * -Pnative). The sweeps are only reachable through the service's beans (no route runs them on demand),
 * so their two tests stay in-process only.
 */
@QuarkusIntegrationTest
class S3StorageResourceIT extends S3StorageResourceTest {

    @Override
    @Test
    @Disabled("runs TempSweeper.sweep() in-process: no bean of the built artifact is reachable from the test")
    void sweeperRollsForwardCommittedAndDeletesOrphanTempFiles() {
    }

    @Override
    @Test
    @Disabled("runs OrphanSweeper.sweep() in-process: no bean of the built artifact is reachable from the test")
    void orphanSweepDoesNothingWithoutAuthUsers() {
    }
}
