package io.slmgen.storage.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.migration.SliceMigrator;
import io.slmgen.storage.blob.BlobStore;
import io.slmgen.storage.repository.StorageRepository;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Crash recovery at start: staged blobs left by an interrupted upload are published when their row
 * committed (the crash fell between commit and rename) and deleted otherwise. Runs once the schema
 * slice is migrated, off the event loop.
 */
@ApplicationScoped
public class TempSweeper {

    private static final Logger LOG = Logger.getLogger(TempSweeper.class);

    private final BlobStore blobs;
    private final CallerTransactions tx;
    private final StorageRepository repo;
    private final SliceMigrator migrator;

    public TempSweeper(BlobStore blobs, CallerTransactions tx, StorageRepository repo, SliceMigrator migrator) {
        this.blobs = blobs;
        this.tx = tx;
        this.repo = repo;
        this.migrator = migrator;
    }

    void onStart(@Observes StartupEvent ev) {
        Infrastructure.getDefaultWorkerPool().execute(this::sweepWhenReady);
    }

    void sweepWhenReady() {
        try {
            for (int i = 0; i < 600 && !migrator.isReady(); i++) {
                Thread.sleep(500);
            }
            if (!migrator.isReady()) {
                return;
            }
            int n = sweep();
            if (n > 0) {
                LOG.infof("swept %d stale staged blob(s)", n);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("temp sweep failed: %s", e.getMessage());
        }
    }

    public int sweep() throws java.io.IOException {
        return blobs.sweep(version -> tx.runAsService(c -> repo.versionExists(c, version))
                .await().atMost(Duration.ofSeconds(30)));
    }
}
