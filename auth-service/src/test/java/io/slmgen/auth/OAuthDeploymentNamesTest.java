package io.slmgen.auth;

import static io.slmgen.auth.AuthTestSupport.client;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.slmgen.shared.testing.TestDatabase;

/**
 * OAuth configured the way every deployment file configures it (SPEC §2: OAUTH_GITHUB_CLIENT_ID /
 * OAUTH_GITHUB_CLIENT_SECRET in .env.example, docker-compose.yml and the Kubernetes ConfigMap/Secret): the
 * provider is on, with no further switch. auth-service once read only AUTH_GITHUB_*, so those names did nothing.
 */
@QuarkusTest
@WithTestResource(value = TestDatabase.class, initArgs = {
        @ResourceArg(name = "name", value = "auth"), @ResourceArg(name = "slices", value = "")})
@WithTestResource(OAuthDeploymentNamesTest.SpecNames.class)
class OAuthDeploymentNamesTest {

    /** The variables as a deployment sets them (a config source of the same names as the environment's). */
    public static class SpecNames implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("OAUTH_GITHUB_CLIENT_ID", "gh-deployed-client", "OAUTH_GITHUB_CLIENT_SECRET", "gh-deployed-secret");
        }

        @Override
        public void stop() {
        }
    }

    @Test
    void providerConfiguredWithTheSpecNamesIsOn() {
        client().get("/auth/v1/settings").then().statusCode(200)
                .body("external.github", equalTo(true)).body("external.google", equalTo(false));
        client().redirects().follow(false).queryParam("provider", "github").get("/auth/v1/authorize")
                .then().statusCode(302).header("Location", startsWith("https://github.com/login/oauth/authorize?client_id=gh-deployed-client&"));
    }
}
