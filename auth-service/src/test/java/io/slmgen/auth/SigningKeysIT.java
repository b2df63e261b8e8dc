package io.slmgen.auth;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link SigningKeysTest} against the built artifact (the jar, or the native executable with -Pnative). */
@QuarkusIntegrationTest
class SigningKeysIT extends SigningKeysTest {
}
