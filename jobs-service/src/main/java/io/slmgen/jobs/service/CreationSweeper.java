package io.slmgen.jobs.service;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.slmgen.jobs.client.Headers;
import io.slmgen.jobs.client.StorageClient;
import io.slmgen.jobs.client.Upstream;
import io.slmgen.jobs.config.JobsConfig;
import io.slmgen.jobs.repository.JobRepository;
import io.slmgen.jobs.repository.JobRepository.StaleCreation;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.ActingCallers;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Undoes job creations the service died in the middle of (SPEC §14). A job row committed with its
 * {@code job_creations} marker whose marker outlives {@code slmgen.jobs.creation-timeout} never got
 * its notebook stored and dataset linked: the notebook object recorded in the marker (if any) is
 * deleted with a service key, then the row (marker, secret and events cascade). The path comes from
 * the marker, written with the row, never from jobs.notebook_path, which the owner can rewrite. Runs at start and every
 * {@code slmgen.jobs.creation-sweep-interval}; several instances sweeping at once is harmless.
 */
@ApplicationScoped
public class CreationSweeper {

    private static final Logger LOG = Logger.getLogger(CreationSweeper.class);
    private static final int BATCH = 100;

    private final CallerTransactions tx;
    private final JobRepository jobs;
    private final StorageClient storage;
    private final JobsConfig config;
    private final ActingCallers acting;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    public CreationSweeper(CallerTransactions tx, JobRepository jobs, @RestClient StorageClient storage, JobsConfig config,
                           ActingCallers acting, Vertx vertx) {
        this.tx = tx;
        this.jobs = jobs;
        this.storage = storage;
        this.config = config;
        this.acting = acting;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent ev) {
        long every = Math.max(1000, config.creationSweepInterval().toMillis());
        tick();
        // creations cut short just before this start are younger than the timeout now: look again as
        // soon as they are old enough, whatever the periodic interval
        vertx.setTimer(Math.max(1000, config.creationTimeout().toMillis() + 1000), id -> tick());
        timer = vertx.setPeriodic(every, id -> tick());
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
        sweep().onTermination().invoke(() -> running.set(false))
                .subscribe().with(n -> {
                    if (n > 0) {
                        LOG.infof("undid %d job creation(s) that never finished", n);
                    }
                }, err -> LOG.debugf("job creation sweep skipped: %s", err.getMessage()));
    }

    /** One sweep: undoes every creation older than the timeout; the number of jobs removed. */
    public Uni<Integer> sweep() {
        long seconds = Math.max(0, config.creationTimeout().toSeconds());
        return tx.runAsService(c -> jobs.staleCreations(c, seconds, BATCH)).flatMap(stale -> stale.isEmpty()
                ? Uni.createFrom().item(0)
                : Multi.createFrom().iterable(stale).onItem().transformToUniAndConcatenate(this::undo)
                        .collect().asList()
                        .map(done -> (int) done.stream().filter(Boolean::booleanValue).count()));
    }

    private Uni<Boolean> undo(StaleCreation s) {
        return deleteObject(s).chain(() -> tx.runAsService(c -> jobs.deleteUnfinished(c, s.jobId())))
                .invoke(gone -> {
                    if (gone) {
                        LOG.warnf("job %s was left half-created (the service stopped mid-creation): undone", s.jobId());
                    }
                })
                .onFailure().recoverWithItem(err -> {
                    // the row stays (with its marker) and the next sweep tries again
                    LOG.warnf("could not undo the unfinished job %s: %s", s.jobId(), err.getMessage());
                    return false;
                });
    }

    /**
     * Deletes the notebook object recorded in the job's marker, as service_role (which storage lets
     * delete anything): only when it lies in the job's own folder, which the marker's policy already
     * demands. An object that is already gone is fine.
     */
    private Uni<Void> deleteObject(StaleCreation s) {
        if (s.notebookPath() == null) {
            return Uni.createFrom().voidItem();
        }
        java.util.Optional<String[]> object = JobService.jobObject(s.notebookPath(), s.userId(), s.jobId());
        if (object.isEmpty()) {
            LOG.warnf("the creation marker of job %s names an object outside the job's folder: not deleted", s.jobId());
            return Uni.createFrom().voidItem();
        }
        String[] p = object.get();
        Caller service = acting.serviceRole();
        return storage.delete(JobService.NOTEBOOKS, p[0], p[1], p[2], Headers.authorization(service), Headers.apikey(service))
                .replaceWithVoid()
                .onFailure().recoverWithUni(err -> {
                    Throwable t = Upstream.translate(err, "storage-service", m -> null);
                    if (t == null || (t instanceof ApiException a && (a.status() == 400 || a.status() == 404))) {
                        return Uni.createFrom().voidItem();
                    }
                    return Uni.createFrom().failure(t);
                });
    }
}
