package io.slmgen.jobs.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.slmgen.jobs.config.JobsConfig;
import io.slmgen.jobs.model.JobEvent;
import io.slmgen.jobs.repository.JobEventRepository;
import io.slmgen.shared.db.CallerTransactions;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Vertx;

/**
 * Delivers a job's stored events to the live streams open on this replica (SPEC §7), in seq order,
 * each once, whichever replica stored them. The database is the only source: a notification
 * ({@link JobEventListener}) or a new stream only says "read again"; the job's feed then reads the
 * rows after the lowest seq its streams have delivered and hands each stream what it has not seen. So
 * coalesced, late or lost notifications cost latency, never events: a missed one is covered by the
 * next, by a stream opening, or by the re-read after the listener reconnects ({@link #resync()}).
 * <p>
 * Appends hold the job row's lock and take seq = max + 1 (ProgressService), so seqs commit in order
 * without holes. A hole seen anyway (a writer outside that rule, still committing) is waited for
 * briefly before the rows past it are delivered.
 * <p>
 * Memory is bounded whatever the producer does: a read fetches at most {@code subscriber-buffer}
 * rows, and a stream holds at most that many undelivered events before it is cut off (it fails; the
 * client reconnects with Last-Event-ID and replays from the database).
 */
@ApplicationScoped
public class JobEventBus {

    private static final Logger LOG = Logger.getLogger(JobEventBus.class);
    /** How long a hole in the seqs is waited for, in tries of {@link #GAP_WAIT_MS}. */
    static final long GAP_WAIT_MS = 100;
    static final int GAP_TRIES = 20;
    /** Pause before reading again after a failed read (e.g. the database restarting). */
    static final long RETRY_MS = 1000;

    /** The stored events of a job with seq greater than {@code afterSeq}, oldest first, at most {@code limit}. */
    @FunctionalInterface
    public interface Source {
        Uni<List<JobEvent>> after(UUID jobId, long afterSeq, int limit);
    }

    /** Runs a task later (a Vert.x timer in the service). */
    @FunctionalInterface
    public interface Timer {
        void after(long millis, Runnable task);
    }

    /** Why a stream was cut off. */
    public static final class SlowSubscriber extends RuntimeException {
        SlowSubscriber() {
            super("subscriber too slow: reconnect with Last-Event-ID", null, false, false);
        }
    }

    private final Map<UUID, Feed> feeds = new ConcurrentHashMap<>();
    private final Source source;
    private final Timer timer;
    private final int buffer;

    @Inject
    public JobEventBus(CallerTransactions tx, JobEventRepository events, JobsConfig config, Vertx vertx) {
        // read as service_role: every stream was authorised (the job read as its caller) before it opened
        this((job, after, limit) -> tx.runAsService(c -> events.after(c, job, after, limit)),
                (ms, task) -> vertx.setTimer(Math.max(1, ms), id -> task.run()), config.subscriberBuffer());
    }

    public JobEventBus(Source source, Timer timer, int buffer) {
        this.source = source;
        this.timer = timer;
        this.buffer = Math.max(1, buffer);
    }

    /**
     * The job's events with seq greater than {@code afterSeq}: those already stored, then each new one,
     * until the stream is cancelled (or cut off for not reading).
     */
    public Multi<JobEvent> live(UUID jobId, long afterSeq) {
        Multi<JobEvent> source = Multi.createFrom().emitter(em -> {
            Sub sub = new Sub(em, afterSeq);
            Feed feed = feeds.compute(jobId, (k, f) -> {
                Feed in = f == null ? new Feed(k) : f;
                in.add(sub);
                return in;
            });
            em.onTermination(() -> feeds.computeIfPresent(jobId, (k, f) -> f.removeAndKeep(sub) ? f : null));
            feed.poke();
        });
        return source.onOverflow().buffer(buffer).onFailure(io.smallrye.mutiny.subscription.BackPressureFailure.class)
                .transform(t -> new SlowSubscriber());
    }

    /** Something was stored for the job (a notification): reads and delivers it if a stream here lacks it. */
    public void stored(UUID jobId, long seq) {
        Feed f = feeds.get(jobId);
        if (f != null && f.lacks(seq)) {
            f.poke();
        }
    }

    /** Notifications may have been missed (the listener was reconnecting): every open job reads again. */
    public void resync() {
        feeds.values().forEach(Feed::poke);
    }

    /** Live streams of the job on this replica (tests, metrics). */
    public int subscriberCount(UUID jobId) {
        Feed f = feeds.get(jobId);
        return f == null ? 0 : f.size();
    }

    /** One open stream: what it has delivered so far. */
    private static final class Sub {
        final MultiEmitter<? super JobEvent> em;
        volatile long lastSeq;

        Sub(MultiEmitter<? super JobEvent> em, long afterSeq) {
            this.em = em;
            this.lastSeq = afterSeq;
        }

        void deliver(List<JobEvent> rows) {
            for (JobEvent row : rows) {
                long seq = seq(row);
                if (seq > lastSeq && !em.isCancelled()) {
                    lastSeq = seq;
                    em.emit(row);
                }
            }
        }
    }

    /**
     * The streams of one job and its one read at a time: a poke while a read runs asks for another
     * read after it, so every poke is followed by a read that starts after it.
     */
    private final class Feed {
        final UUID jobId;
        private final List<Sub> subs = new ArrayList<>();
        private boolean reading;
        private boolean again;
        private int gapTries;

        Feed(UUID jobId) {
            this.jobId = jobId;
        }

        synchronized void add(Sub s) {
            subs.add(s);
        }

        /** Removes the stream; false when none is left (the feed leaves the map). */
        synchronized boolean removeAndKeep(Sub s) {
            subs.remove(s);
            return !subs.isEmpty();
        }

        synchronized int size() {
            return subs.size();
        }

        synchronized boolean lacks(long seq) {
            for (Sub s : subs) {
                if (s.lastSeq < seq) {
                    return true;
                }
            }
            return false;
        }

        void poke() {
            synchronized (this) {
                if (reading) {
                    again = true;
                    return;
                }
                if (subs.isEmpty()) {
                    return;
                }
                reading = true;
                again = false;
            }
            read();
        }

        private void read() {
            long from;
            synchronized (this) {
                if (subs.isEmpty()) {
                    reading = false;
                    return;
                }
                from = Long.MAX_VALUE;
                for (Sub s : subs) {
                    from = Math.min(from, s.lastSeq);
                }
                again = false;
            }
            long after = from;
            Uni<List<JobEvent>> rows;
            try {
                rows = source.after(jobId, after, buffer);
            } catch (RuntimeException e) {
                rows = Uni.createFrom().failure(e);
            }
            rows.subscribe().with(r -> {
                try {
                    got(after, r);
                } catch (RuntimeException e) {
                    // never leave the feed marked as reading: the next read retries
                    failed(e);
                }
            }, this::failed);
        }

        private void got(long after, List<JobEvent> rows) {
            // the run without holes that follows `after`
            int run = 0;
            long expect = after + 1;
            for (JobEvent row : rows) {
                if (seq(row) != expect) {
                    break;
                }
                run++;
                expect++;
            }
            boolean hole = run < rows.size();
            List<JobEvent> ready;
            long wait = -1;
            synchronized (this) {
                if (hole && gapTries < GAP_TRIES) {
                    gapTries++;
                    ready = rows.subList(0, run);
                    wait = GAP_WAIT_MS;
                } else {
                    if (hole) {
                        LOG.warnf("job %s: event seq %d never appeared; delivering past it", jobId, after + run + 1);
                    }
                    gapTries = 0;
                    ready = rows;
                }
            }
            List<Sub> targets;
            synchronized (this) {
                targets = List.copyOf(subs);
            }
            // emitted outside the lock: a stream that ends while being fed leaves the feed (map, then feed lock)
            for (Sub s : targets) {
                s.deliver(ready);
            }
            boolean next;
            synchronized (this) {
                next = wait < 0 && (again || rows.size() >= buffer);
                if (!next && wait < 0) {
                    reading = false;
                }
            }
            if (wait >= 0) {
                timer.after(wait, this::read);
            } else if (next) {
                read();
            }
        }

        private void failed(Throwable t) {
            LOG.debugf("reading events of job %s failed (%s): retrying", jobId, t.getMessage());
            synchronized (this) {
                if (subs.isEmpty()) {
                    reading = false;
                    return;
                }
            }
            timer.after(RETRY_MS, this::read);
        }
    }

    static long seq(JobEvent row) {
        return row.seq();
    }
}
