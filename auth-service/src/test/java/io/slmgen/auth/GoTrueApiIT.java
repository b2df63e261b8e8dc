package io.slmgen.auth;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link GoTrueApiTest} against the built artifact (the jar, or the native executable with -Pnative).
 * Left out: the two tests that run the service's sweepers and rate limiter in-process (no bean of the
 * built artifact is reachable from the test, and no route runs a sweep on demand).
 */
@QuarkusIntegrationTest
class GoTrueApiIT extends GoTrueApiTest {

    static final String IN_PROCESS = "runs beans of the service in-process: not reachable against the built artifact";

    @Override
    @Test
    @Disabled(IN_PROCESS)
    void expiredAnonymousUsersAreSweptWithTheirProfilesInBoundedBatches() {
    }

    @Override
    @Test
    @Disabled(IN_PROCESS)
    void twoLimiterInstancesOnTwoPoolsShareOneCount() {
    }
}
