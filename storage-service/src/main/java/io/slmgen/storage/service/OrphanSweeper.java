package io.slmgen.storage.service;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.migration.SliceMigrator;
import io.slmgen.storage.StorageConfig;
import io.slmgen.storage.repository.StorageRepository;
import io.slmgen.storage.model.StoredObject;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;

/**
 * Removes the objects of users who no longer exist (SPEC §9): auth-service deletes anonymous users
 * after 24 h and foreign keys cascade in the other slices, but storage.objects.owner has no foreign key
 * (as in storage-api). Every {@code storage.orphan-sweep-interval}, in the configured buckets
 * (datasets, notebooks), rows whose owner is missing from auth.users are deleted as service_role in
 * bounded batches; each batch's blobs are deleted after it committed (a crash in between leaves
 * unreachable bytes, never a row without bytes). Does nothing when auth.users does not exist or is not
 * readable (no auth slice in this database).
 */
@ApplicationScoped
public class OrphanSweeper {

    private static final Logger LOG = Logger.getLogger(OrphanSweeper.class);
    /** Batches per run: a run stops after this many, the next run continues. */
    private static final int MAX_BATCHES = 200;

    @Inject
    CallerTransactions tx;
    @Inject
    StorageRepository repo;
    @Inject
    ObjectStore objectStore;
    @Inject
    StorageConfig config;
    @Inject
    SliceMigrator migrator;
    @Inject
    Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    void onStart(@Observes StartupEvent ev) {
        Duration every = config.orphanSweepInterval();
        if (every.isZero() || every.isNegative()) {
            return;
        }
        timer = vertx.setPeriodic(every.toMillis(), id -> Infrastructure.getDefaultWorkerPool().execute(this::scheduled));
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    void scheduled() {
        if (!migrator.isReady()) {
            return;
        }
        try {
            int n = sweep(config.orphanSweepBatch());
            if (n > 0) {
                LOG.infof("removed %d object(s) of deleted users", n);
            }
        } catch (RuntimeException e) {
            LOG.warnf("orphan sweep failed (retried next interval): %s", e.getMessage());
        }
    }

    /**
     * One run: deletes up to {@code batch} orphaned rows per transaction until none are left (or
     * {@value #MAX_BATCHES} batches ran), deleting each batch's blobs after its commit. Returns the number
     * of objects removed; 0 without a readable auth.users. Blocks; one run at a time.
     */
    public int sweep(int batch) {
        if (!running.compareAndSet(false, true)) {
            return 0;
        }
        try {
            String[] buckets = config.orphanSweepBuckets().toArray(String[]::new);
            int size = Math.max(1, batch);
            int removed = 0;
            for (int i = 0; i < MAX_BATCHES; i++) {
                List<StoredObject> gone = tx.runAsService(c -> repo.usersReadable(c).chain(readable -> readable
                                ? repo.deleteOrphans(c, buckets, size)
                                : io.smallrye.mutiny.Uni.createFrom().item(List.<StoredObject>of())))
                        .await().atMost(Duration.ofSeconds(60));
                objectStore.deleteBytesOf(gone);
                removed += gone.size();
                if (gone.size() < size) {
                    break;
                }
            }
            return removed;
        } finally {
            running.set(false);
        }
    }
}
