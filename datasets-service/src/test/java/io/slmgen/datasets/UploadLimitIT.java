package io.slmgen.datasets;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link UploadLimitTest} against the built artifact (the jar, or the native executable with -Pnative). */
@QuarkusIntegrationTest
class UploadLimitIT extends UploadLimitTest {
}
