package io.slmgen.auth;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link OAuthDeploymentNamesTest} against the built artifact (the jar, or the native executable with -Pnative). */
@QuarkusIntegrationTest
class OAuthDeploymentNamesIT extends OAuthDeploymentNamesTest {
}
