package io.slmgen.catalog;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link RecommendationResourceTest} against the built artifact (the jar, or the native executable with -Pnative). */
@QuarkusIntegrationTest
class RecommendationResourceIT extends RecommendationResourceTest {
}
