package io.slmgen.jobs;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link SlmgenResourceTest} against the built artifact (the jar, or the native executable with -Pnative). */
@QuarkusIntegrationTest
class SlmgenResourceIT extends SlmgenResourceTest {
}
