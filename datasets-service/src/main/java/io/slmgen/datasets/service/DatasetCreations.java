package io.slmgen.datasets.service;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.slmgen.datasets.client.StorageClient;
import io.slmgen.datasets.config.DatasetsConfig;
import io.slmgen.datasets.repository.DatasetCreationRepository;
import io.slmgen.datasets.repository.DatasetCreationRepository.StaleCreation;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.identity.ActingCallers;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Upload markers (SPEC §14: a service killed mid-upload leaves nothing orphaned). Before an upload's
 * first byte goes to storage its object path is marked; the transaction that records the dataset row
 * removes the mark ({@link #finish}). A mark older than {@code datasets.creation-timeout} belongs to an
 * upload this service (some replica) died in after storage kept the object: the sweep, at start and every
 * {@code datasets.creation-sweep-interval}, deletes that object as service_role and then the mark, holding
 * the mark's row lock throughout, so a late upload cannot record a row for an object being deleted.
 */
@ApplicationScoped
public class DatasetCreations {

    private static final Logger LOG = Logger.getLogger(DatasetCreations.class);
    private static final int BATCH = 100;

    @Inject
    CallerTransactions tx;
    @Inject
    DatasetCreationRepository marks;
    @Inject
    StorageClient storage;
    @Inject
    DatasetsConfig config;
    @Inject
    ActingCallers acting;
    @Inject
    Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    /** Marks {@code storagePath} as being uploaded by {@code owner}; the upload may start once this succeeds. */
    public Uni<Void> begin(Caller owner, String storagePath) {
        UUID user = owner.requireUser();
        return tx.inSessionAsService(() -> marks.mark(storagePath, user));
    }

    /**
     * Inside the transaction recording the row (already switched to service_role): removes the mark, or
     * fails with 503 when a sweep undid the upload meanwhile, which rolls the row back.
     */
    public Uni<Void> finish(SqlConnection c, String storagePath) {
        return marks.finish(c, storagePath).invoke(found -> {
            if (!found) {
                throw ApiError.SERVICE_UNAVAILABLE.exception(
                        "the upload took longer than the service allows to record it; upload it again");
            }
        }).replaceWithVoid();
    }

    /** After a failed upload whose object is already deleted: the mark is no longer needed (best effort). */
    public Uni<Void> forget(String storagePath) {
        return tx.inSessionAsService(() -> marks.forget(storagePath)).replaceWithVoid()
                .onFailure().recoverWithItem(err -> {
                    LOG.debugf("upload mark of %s left for the sweeper: %s", storagePath, err.getMessage());
                    return null;
                });
    }

    void onStart(@Observes StartupEvent ev) {
        tick();
        timer = vertx.setPeriodic(Math.max(1000, config.creationSweepInterval().toMillis()), id -> tick());
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void tick() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        sweep().onTermination().invoke(() -> running.set(false)).subscribe().with(n -> {
            if (n > 0) {
                LOG.warnf("undid %d upload(s) whose dataset row was never recorded", n);
            }
        }, err -> LOG.debugf("upload sweep skipped: %s", err.getMessage()));
    }

    /**
     * One sweep: the number of stale uploads undone (objects deleted, marks removed). Hand-written SQL on
     * tx.run (DatasetCreationRepository): it holds row locks across storage calls and runs on a timer.
     */
    public Uni<Integer> sweep() {
        long seconds = Math.max(0, config.creationTimeout().toSeconds());
        return tx.runAsService(c -> marks.lockStale(c, seconds, BATCH).flatMap(stale -> stale.isEmpty()
                ? Uni.createFrom().item(0)
                : Multi.createFrom().iterable(stale).onItem().transformToUniAndConcatenate(s -> undo(c, s))
                        .collect().asList().map(done -> (int) done.stream().filter(Boolean::booleanValue).count())));
    }

    /** Deletes the object unless a row records it, then the mark; both under the mark's lock. */
    private Uni<Boolean> undo(SqlConnection c, StaleCreation s) {
        return marks.recorded(c, s.storagePath()).flatMap(recorded -> recorded
                ? marks.finish(c, s.storagePath()).replaceWith(false)
                : Uni.createFrom().deferred(() -> storage.delete(acting.serviceRole(), s.storagePath()))
                        .onItem().transformToUni(deleted -> marks.finish(c, s.storagePath()).replaceWith(true))
                        .onFailure(err -> !(err instanceof io.vertx.pgclient.PgException)).recoverWithItem(err -> {
                            // storage unreachable or refusing: the mark stays for the next sweep
                            LOG.warnf("could not undo the unrecorded upload %s: %s", s.storagePath(), err.getMessage());
                            return false;
                        }));
    }
}
