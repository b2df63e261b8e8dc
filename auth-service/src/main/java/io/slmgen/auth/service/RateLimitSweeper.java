package io.slmgen.auth.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.slmgen.auth.AuthConfig;
import io.smallrye.mutiny.Uni;

/**
 * Keeps auth.rate_limits bounded: every {@code auth.rate-limit.sweep-interval} the closed windows are
 * deleted in batches (rows another replica is sweeping are skipped), so the table holds only open windows.
 */
@ApplicationScoped
public class RateLimitSweeper {

    private static final Logger LOG = Logger.getLogger(RateLimitSweeper.class);
    static final int BATCH = 5_000;
    static final int MAX_BATCHES = 20;

    @Inject
    RateLimiter limiter;
    @Inject
    AuthConfig config;

    @Scheduled(identity = "rate-limit-sweep", every = "${auth.rate-limit.sweep-interval}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = AnonymousSweeper.NotReady.class)
    Uni<Void> scheduled() {
        return sweep().onFailure().recoverWithItem(t -> {
            LOG.warnf("rate-limit sweep failed: %s", t.getClass().getSimpleName());
            return 0;
        }).replaceWithVoid();
    }

    /** Deletes every closed window (batch by batch, bounded per run); the number deleted. */
    public Uni<Integer> sweep() {
        if (!"local".equals(config.mode())) {
            // auth.mode=supabase: the hosted GoTrue limits its own endpoints; the table is not created
            return Uni.createFrom().item(0);
        }
        return batches(0, 0);
    }

    private Uni<Integer> batches(int done, int total) {
        return limiter.sweep(BATCH).chain(n -> n < BATCH || done + 1 >= MAX_BATCHES
                ? Uni.createFrom().item(total + n) : batches(done + 1, total + n));
    }
}
