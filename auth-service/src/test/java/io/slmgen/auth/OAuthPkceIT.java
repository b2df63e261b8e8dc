package io.slmgen.auth;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link OAuthPkceTest} against the built artifact (the jar, or the native executable with -Pnative). */
@QuarkusIntegrationTest
class OAuthPkceIT extends OAuthPkceTest {
}
