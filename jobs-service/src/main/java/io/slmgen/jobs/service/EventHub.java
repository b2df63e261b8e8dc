package io.slmgen.jobs.service;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

import jakarta.enterprise.context.ApplicationScoped;

import io.slmgen.jobs.config.JobsConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * In-process fan-out of a job's new events to its live subscribers. Memory is bounded whatever the
 * producer does: each subscriber holds at most {@code subscriber-buffer} undelivered events and is cut
 * off (its stream fails) beyond that; it reconnects with Last-Event-ID and catches up from the
 * database, which is the source of truth. One instance only: several replicas would need a shared bus
 * (e.g. PostgreSQL LISTEN/NOTIFY).
 */
@ApplicationScoped
public class EventHub {

    /** Why a subscriber was cut off. */
    public static final class SlowSubscriber extends RuntimeException {
        SlowSubscriber() {
            super("subscriber too slow: reconnect with Last-Event-ID", null, false, false);
        }
    }

    private final Map<UUID, Set<Sub>> subscribers = new ConcurrentHashMap<>();
    private final int limit;

    public EventHub(JobsConfig config) {
        this.limit = config.subscriberBuffer();
    }

    /**
     * New events of the job with seq greater than {@code afterSeq}: registers first, then runs
     * {@code catchUp} (events stored meanwhile), then delivers live ones, without gaps or duplicates.
     */
    public Multi<Map<String, Object>> live(UUID jobId, long afterSeq,
                                           LongFunction<Uni<java.util.List<Map<String, Object>>>> catchUp) {
        Multi<Map<String, Object>> source = Multi.createFrom().emitter(em -> {
            Sub sub = new Sub(em, afterSeq);
            subscribers.computeIfAbsent(jobId, k -> ConcurrentHashMap.newKeySet()).add(sub);
            em.onTermination(() -> remove(jobId, sub));
            catchUp.apply(afterSeq).subscribe().with(sub::caughtUp, em::fail);
        });
        return source.onOverflow().buffer(limit);
    }

    public void publish(UUID jobId, Map<String, Object> event) {
        Set<Sub> subs = subscribers.get(jobId);
        if (subs != null) {
            for (Sub s : subs) {
                s.offer(event);
            }
        }
    }

    /** Live subscribers of the job (for tests and metrics). */
    public int subscriberCount(UUID jobId) {
        Set<Sub> subs = subscribers.get(jobId);
        return subs == null ? 0 : subs.size();
    }

    private void remove(UUID jobId, Sub sub) {
        subscribers.computeIfPresent(jobId, (k, set) -> {
            set.remove(sub);
            return set.isEmpty() ? null : set;
        });
    }

    private final class Sub {
        private final MultiEmitter<? super Map<String, Object>> em;
        private final Deque<Map<String, Object>> pending = new ArrayDeque<>();
        private boolean live;
        private long lastSeq;

        Sub(MultiEmitter<? super Map<String, Object>> em, long afterSeq) {
            this.em = em;
            this.lastSeq = afterSeq;
        }

        synchronized void offer(Map<String, Object> event) {
            if (!live) {
                if (pending.size() >= limit) {
                    em.fail(new SlowSubscriber());
                    return;
                }
                pending.add(event);
                return;
            }
            emitIfNew(event);
        }

        synchronized void caughtUp(java.util.List<Map<String, Object>> stored) {
            if (stored.size() >= limit) {
                // more stored events than one buffer: let the client page through them on reconnect
                em.fail(new SlowSubscriber());
                return;
            }
            for (Map<String, Object> e : stored) {
                emitIfNew(e);
            }
            for (Map<String, Object> e : pending) {
                emitIfNew(e);
            }
            pending.clear();
            live = true;
        }

        private void emitIfNew(Map<String, Object> event) {
            long seq = ((Number) event.get("seq")).longValue();
            if (seq > lastSeq && !em.isCancelled()) {
                lastSeq = seq;
                em.emit(event);
            }
        }
    }
}
