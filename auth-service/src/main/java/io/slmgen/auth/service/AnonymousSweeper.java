package io.slmgen.auth.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.slmgen.auth.AnonymousConfig;
import io.slmgen.auth.AuthConfig;
import io.slmgen.auth.repository.UserRepository;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.migration.SliceMigrator;
import io.smallrye.mutiny.Uni;

/**
 * SPEC §15: anonymous sessions and their data expire after {@code slmgen.anonymous-ttl} (default 24h). Every
 * {@code slmgen.anonymous-sweep-interval} this deletes, as service_role, the anonymous users older than the TTL that
 * were never upgraded, in batches of {@code slmgen.anonymous-sweep-batch} (each its own short transaction), at most
 * {@code slmgen.anonymous-sweep-max-batches} per run. The foreign keys cascade to profiles and to what references
 * them (datasets, jobs, training_configs). Storage objects are swept by storage-service.
 */
@ApplicationScoped
public class AnonymousSweeper {

    private static final Logger LOG = Logger.getLogger(AnonymousSweeper.class);

    private final CallerTransactions tx;
    private final UserRepository users;
    private final AuthConfig config;
    private final Duration ttl;
    private final int batch;
    private final int maxBatches;

    @Inject
    public AnonymousSweeper(CallerTransactions tx, UserRepository users, AuthConfig config, AnonymousConfig anonymous) {
        this(tx, users, config, anonymous.anonymousTtl(), anonymous.anonymousSweepBatch(), anonymous.anonymousSweepMaxBatches());
    }

    /** A sweeper with its own TTL and bounds (tests). */
    public AnonymousSweeper(CallerTransactions tx, UserRepository users, AuthConfig config, Duration ttl, int batch,
                            int maxBatches) {
        this.tx = tx;
        this.users = users;
        this.config = config;
        this.ttl = ttl;
        this.batch = Math.max(1, batch);
        this.maxBatches = Math.max(1, maxBatches);
    }

    @Scheduled(identity = "anonymous-sweep", every = "${slmgen.anonymous-sweep-interval}",
            delayed = "${slmgen.anonymous-sweep-delay}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = NotReady.class)
    Uni<Void> scheduled() {
        return sweep().onFailure().recoverWithItem(t -> {
            LOG.warnf("anonymous sweep failed: %s", t.getClass().getSimpleName());
            return 0;
        }).replaceWithVoid();
    }

    /** One run: deletes expired anonymous users batch by batch; the number deleted. */
    public Uni<Integer> sweep() {
        if (!"local".equals(config.mode())) {
            // auth.mode=supabase: the hosted GoTrue owns auth.users
            return Uni.createFrom().item(0);
        }
        return batches(0, 0).invoke(total -> {
            if (total > 0) {
                LOG.infof("anonymous sweep: deleted %d anonymous users older than %s", total, ttl);
            } else {
                LOG.debugf("anonymous sweep: nothing older than %s", ttl);
            }
        });
    }

    private Uni<Integer> batches(int done, int total) {
        // SQL on the pool, not Panache: a bulk delete with "for update skip locked", run by the scheduler off any
        // request's Vert.x context
        return tx.runAsService(c -> users.deleteExpiredAnonymous(c, ttl.toSeconds(), batch)).chain(n -> {
            int sum = total + n;
            return n < batch || done + 1 >= maxBatches ? Uni.createFrom().item(sum) : batches(done + 1, sum);
        });
    }

    /** Skips runs while the schema slice is still being migrated. */
    @ApplicationScoped
    public static class NotReady implements Scheduled.SkipPredicate {

        private final SliceMigrator migrator;

        public NotReady(SliceMigrator migrator) {
            this.migrator = migrator;
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !migrator.isReady();
        }
    }
}
