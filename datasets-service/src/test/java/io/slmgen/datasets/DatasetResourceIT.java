package io.slmgen.datasets;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link DatasetResourceTest} against the built artifact (the jar, or the native executable with -Pnative). */
@QuarkusIntegrationTest
class DatasetResourceIT extends DatasetResourceTest {

    @Override
    @Test
    @Disabled("runs DatasetCreations.sweep() in-process: no bean of the built artifact is reachable from the test")
    void theSweepDeletesTheObjectOfAnUploadWhoseRowWasNeverRecorded() {
    }

    @Override
    @Test
    @Disabled("asks /api/test-identity, a resource of the test sources (rest/IdentityProbeResource) that the built artifact does not have")
    void securityIdentityAndJsonWebTokenAreTheVerifiedCaller() {
    }
}
