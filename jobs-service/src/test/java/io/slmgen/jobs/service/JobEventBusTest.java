package io.slmgen.jobs.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.slmgen.jobs.model.JobEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

/**
 * The fan-out's rules with the table stood in for by a list (the real table, NOTIFY and the listener
 * are exercised over HTTP in JobsResourceTest/SlmgenResourceTest): reads start after what each stream
 * delivered, nothing is lost or doubled whatever the pokes, holes are waited for, slow streams are cut.
 */
class JobEventBusTest {

    static final UUID JOB = UUID.randomUUID();

    /** The job's stored events, reads that can be held back, and timers run by hand. */
    static final class Table implements JobEventBus.Source, JobEventBus.Timer {
        final List<JobEvent> rows = new ArrayList<>();
        final List<Long> readsAfter = new ArrayList<>();
        final Deque<Runnable> timers = new ArrayDeque<>();
        final Deque<CompletableFuture<Void>> held = new ArrayDeque<>();
        boolean hold;
        int failNext;

        void store(long seq) {
            rows.add(new JobEvent(seq, JOB, (int) seq, "progress", Map.of(), null));
        }

        @Override
        public Uni<List<JobEvent>> after(UUID jobId, long afterSeq, int limit) {
            readsAfter.add(afterSeq);
            if (failNext > 0) {
                failNext--;
                return Uni.createFrom().failure(new IllegalStateException("database restarting"));
            }
            CompletableFuture<Void> gate = new CompletableFuture<>();
            if (hold) {
                held.add(gate);
            } else {
                gate.complete(null);
            }
            // the rows as they are when the read runs (after the gate), like a query
            return Uni.createFrom().completionStage(gate).map(v -> rows.stream()
                    .filter(r -> r.seq() > afterSeq)
                    .sorted((a, b) -> Long.compare(a.seq(), b.seq()))
                    .limit(limit).toList());
        }

        @Override
        public void after(long millis, Runnable task) {
            timers.add(task);
        }

        void release() {
            while (!held.isEmpty()) {
                held.poll().complete(null);
            }
        }

        void runTimers() {
            for (int i = timers.size(); i > 0 && !timers.isEmpty(); i--) {
                timers.poll().run();
            }
        }
    }

    static List<Long> seqs(AssertSubscriber<JobEvent> s) {
        List<Long> out = new ArrayList<>();
        s.getItems().forEach(e -> out.add((long) e.seq()));
        return out;
    }

    @Test
    void aStreamGetsWhatIsStoredAfterItsSeqThenEachNewEventOnce() {
        Table t = new Table();
        JobEventBus bus = new JobEventBus(t, t, 8);
        for (long i = 1; i <= 4; i++) {
            t.store(i);
        }
        AssertSubscriber<JobEvent> s = bus.live(JOB, 2).subscribe().withSubscriber(AssertSubscriber.create(100));
        assertEquals(List.of(3L, 4L), seqs(s), "catch-up from the table at registration");
        assertEquals(List.of(2L), t.readsAfter);

        t.store(5);
        bus.stored(JOB, 5);
        bus.stored(JOB, 5); // a duplicate hint reads nothing new and delivers nothing twice
        bus.stored(JOB, 4); // an old hint: nothing is missing, no read at all
        assertEquals(List.of(3L, 4L, 5L), seqs(s));
        assertEquals(List.of(2L, 4L), t.readsAfter);

        // a hint for a job with no stream here is ignored
        bus.stored(UUID.randomUUID(), 1);
        assertEquals(2, t.readsAfter.size());

        assertEquals(1, bus.subscriberCount(JOB));
        s.cancel();
        assertEquals(0, bus.subscriberCount(JOB));
    }

    @Test
    void hintsDuringARunningReadAreCoalescedIntoOneMoreReadAndNothingIsLost() {
        Table t = new Table();
        JobEventBus bus = new JobEventBus(t, t, 8);
        AssertSubscriber<JobEvent> s = bus.live(JOB, 0).subscribe().withSubscriber(AssertSubscriber.create(100));
        t.hold = true;
        t.store(1);
        bus.stored(JOB, 1);          // read #2 starts and is held
        t.store(2);
        t.store(3);
        bus.stored(JOB, 2);          // while it runs: only remembered
        bus.stored(JOB, 3);
        assertEquals(2, t.readsAfter.size());
        t.hold = false;
        t.release();                 // read #2 sees 1..3 (the query runs after the gate); one more read follows
        assertEquals(List.of(1L, 2L, 3L), seqs(s));
        assertEquals(List.of(0L, 0L, 3L), t.readsAfter);
    }

    @Test
    void severalStreamsReadFromTheLowestAndEachGetsOnlyWhatItLacks() {
        Table t = new Table();
        JobEventBus bus = new JobEventBus(t, t, 8);
        for (long i = 1; i <= 3; i++) {
            t.store(i);
        }
        AssertSubscriber<JobEvent> ahead = bus.live(JOB, 3).subscribe().withSubscriber(AssertSubscriber.create(100));
        AssertSubscriber<JobEvent> behind = bus.live(JOB, 1).subscribe().withSubscriber(AssertSubscriber.create(100));
        t.store(4);
        bus.stored(JOB, 4);
        assertEquals(List.of(4L), seqs(ahead));
        assertEquals(List.of(2L, 3L, 4L), seqs(behind));
        assertEquals(List.of(3L, 1L, 3L), t.readsAfter, "the second stream's catch-up reads from its own seq");
    }

    @Test
    void aHoleInTheSeqsIsWaitedForAndDeliveredInOrderOnceFilled() {
        Table t = new Table();
        JobEventBus bus = new JobEventBus(t, t, 8);
        AssertSubscriber<JobEvent> s = bus.live(JOB, 0).subscribe().withSubscriber(AssertSubscriber.create(100));
        t.store(1);
        t.store(3);                  // 2 is still committing elsewhere
        bus.stored(JOB, 3);
        assertEquals(List.of(1L), seqs(s));
        assertEquals(1, t.timers.size(), "a re-read is scheduled");
        t.store(2);
        t.runTimers();
        assertEquals(List.of(1L, 2L, 3L), seqs(s));

        // a hole that never fills is passed after the wait, once
        t.store(5);
        bus.stored(JOB, 5);
        for (int i = 0; i < JobEventBus.GAP_TRIES; i++) {
            assertEquals(List.of(1L, 2L, 3L), seqs(s));
            t.runTimers();
        }
        assertEquals(List.of(1L, 2L, 3L, 5L), seqs(s));
        assertTrue(t.timers.isEmpty());
    }

    @Test
    void aFailedReadIsRetriedAndAResyncReadsEveryOpenJob() {
        Table t = new Table();
        JobEventBus bus = new JobEventBus(t, t, 8);
        t.failNext = 1;
        t.store(1);
        AssertSubscriber<JobEvent> s = bus.live(JOB, 0).subscribe().withSubscriber(AssertSubscriber.create(100));
        assertEquals(List.of(), seqs(s));
        t.runTimers();
        assertEquals(List.of(1L), seqs(s));

        // stored while the listener was away: no hint at all, the resync after it reconnects finds it
        t.store(2);
        bus.resync();
        assertEquals(List.of(1L, 2L), seqs(s));
    }

    @Test
    void aStreamThatDoesNotReadIsCutOffAtItsBufferAndTheOthersGetEverything() {
        Table t = new Table();
        JobEventBus bus = new JobEventBus(t, t, 8);
        AssertSubscriber<JobEvent> stalled = bus.live(JOB, 0).subscribe().withSubscriber(AssertSubscriber.create(0));
        AssertSubscriber<JobEvent> reader = bus.live(JOB, 0).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        for (long i = 1; i <= 100; i++) {
            t.store(i);
            bus.stored(JOB, i);
        }
        assertInstanceOf(JobEventBus.SlowSubscriber.class, stalled.getFailure());
        assertEquals(0, stalled.getItems().size());
        assertEquals(100, reader.getItems().size());
        assertEquals(1, bus.subscriberCount(JOB), "only the reader is still registered");
        List<Long> expect = new ArrayList<>();
        for (long i = 1; i <= 100; i++) {
            expect.add(i);
        }
        assertEquals(expect, seqs(reader));
    }

    @Test
    void aLongBacklogIsReadInPagesOfTheBuffer() {
        Table t = new Table();
        JobEventBus bus = new JobEventBus(t, t, 8);
        for (long i = 1; i <= 20; i++) {
            t.store(i);
        }
        AssertSubscriber<JobEvent> s = bus.live(JOB, 0).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        assertEquals(20, s.getItems().size());
        assertEquals(List.of(0L, 8L, 16L), t.readsAfter);
    }
}
