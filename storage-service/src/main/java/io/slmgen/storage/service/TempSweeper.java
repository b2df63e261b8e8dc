package io.slmgen.storage.service;

import java.time.Duration;
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
import io.slmgen.storage.blob.BlobStore;
import io.slmgen.storage.repository.StorageRepository;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;

/**
 * Crash recovery: staged blobs left by an interrupted upload are published when their row committed
 * (the crash fell between commit and publish) and deleted otherwise. Runs once the schema slice is
 * migrated, off the event loop, at start and every {@code storage.staging-sweep-interval} (with
 * several replicas on S3, a replica that crashed mid-upload is cleaned up by the others). Also drives
 * the store's {@link BlobStore#keepAlive} so this replica's running uploads never look abandoned.
 */
@ApplicationScoped
public class TempSweeper {

    private static final Logger LOG = Logger.getLogger(TempSweeper.class);

    @Inject
    BlobStore blobs;
    @Inject
    CallerTransactions tx;
    @Inject
    StorageRepository repo;
    @Inject
    SliceMigrator migrator;
    @Inject
    StorageConfig config;
    @Inject
    Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private long sweepTimer = -1;
    private long keepAliveTimer = -1;

    void onStart(@Observes StartupEvent ev) {
        Infrastructure.getDefaultWorkerPool().execute(this::sweepWhenReady);
        Duration every = config.stagingSweepInterval();
        if (!every.isZero() && !every.isNegative()) {
            sweepTimer = vertx.setPeriodic(every.toMillis(), id -> Infrastructure.getDefaultWorkerPool().execute(this::scheduled));
        }
        Duration keepAlive = blobs.keepAliveInterval();
        if (!keepAlive.isZero()) {
            keepAliveTimer = vertx.setPeriodic(keepAlive.toMillis(), id -> Infrastructure.getDefaultWorkerPool().execute(blobs::keepAlive));
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
        if (keepAliveTimer >= 0) {
            vertx.cancelTimer(keepAliveTimer);
        }
    }

    void sweepWhenReady() {
        try {
            for (int i = 0; i < 600 && !migrator.isReady(); i++) {
                Thread.sleep(500);
            }
            if (migrator.isReady()) {
                scheduled();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void scheduled() {
        if (!migrator.isReady() || !running.compareAndSet(false, true)) {
            return;
        }
        try {
            int n = sweep();
            if (n > 0) {
                LOG.infof("swept %d stale staged blob(s)", n);
            }
        } catch (Exception e) {
            LOG.warnf("staging sweep failed (retried next time): %s", e.getMessage());
        } finally {
            running.set(false);
        }
    }

    public int sweep() throws java.io.IOException {
        return blobs.sweep(version -> tx.runAsService(c -> repo.versionExists(c, version))
                .await().atMost(Duration.ofSeconds(30)));
    }
}
