package io.slmgen.jobs;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link JobsResourceTest} against the built artifact (the jar, or the native executable with -Pnative).
 * Left out: the tests that run the creation sweep or a caller unit of work in-process (no bean of the
 * built artifact is reachable from the test, and no route runs a sweep on demand).
 */
@QuarkusIntegrationTest
class JobsResourceIT extends JobsResourceTest {

    static final String IN_PROCESS = "runs a bean of the service in-process: not reachable against the built artifact";

    @Override
    @Test
    @Disabled(IN_PROCESS)
    void aCreationKilledAfterTheCommitIsUndoneBySweepAndFreshOrUnmarkedJobsStay() {
    }

    @Override
    @Test
    @Disabled(IN_PROCESS)
    void aSweepOutsideAnyRequestDeletesTheNotebookAndUndoesTheJob() {
    }

    @Override
    @Test
    @Disabled(IN_PROCESS)
    void theSweeperDeletesThePathRecordedAtCreationNeverTheColumnTheOwnerRewrote() {
    }

    @Override
    @Test
    @Disabled(IN_PROCESS)
    void aSweepKeepsTheJobWhenStorageCannotDeleteTheNotebookAndRetriesLater() {
    }

    @Override
    @Test
    @Disabled(IN_PROCESS)
    void callerWorkSeesTheCallersSettingsAndNeverRunsWithoutThem() {
    }
}
