package io.slmgen.datasets.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.slmgen.datasets.analysis.AnalysisResult;
import io.slmgen.datasets.analysis.DatasetAnalyser;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * {@link AnalysisPipe}: the analysis off the event loop gives the same result as analysing inline,
 * keeps the chunks' order, bounds what is in flight (full/low) and delivers nothing once cancelled.
 */
class AnalysisPipeTest {

    static byte[] dataset(int lines, long seed) {
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            // every line distinct and position-dependent, so a reordering or a lost chunk changes the result
            sb.append("{\"messages\":[{\"role\":\"user\",\"content\":\"q ").append(i).append(" caf\u00e9\"},")
                    .append("{\"role\":\"assistant\",\"content\":\"").append("a".repeat(1 + rnd.nextInt(300)))
                    .append(i % 7 == 0 ? " \\u4e2d" : "").append("\"}]}").append(i % 5 == 0 ? "\r\n" : "\n");
            if (i % 97 == 0) {
                sb.append("not json\n");
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static AnalysisResult inline(byte[] bytes) {
        DatasetAnalyser a = new DatasetAnalyser();
        a.feed(bytes);
        return a.finish();
    }

    /** A manual executor: tasks run only when the test says so. */
    static final class Manual implements java.util.concurrent.Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable r) {
            tasks.add(r);
        }

        void runAll() {
            Runnable r;
            while ((r = tasks.poll()) != null) {
                r.run();
            }
        }
    }

    @Test
    void backpressureBoundsTheBlocksInFlightAndTheResultIsTheInlineOne() {
        byte[] bytes = dataset(20_000, 1);
        assertTrue(bytes.length > (AnalysisPipe.MAX_IN_FLIGHT + 2) * AnalysisPipe.BLOCK, "the test needs a larger file");
        Manual exec = new Manual();
        AtomicInteger capacity = new AtomicInteger();
        AtomicReference<AnalysisResult> result = new AtomicReference<>();
        AnalysisPipe pipe = new AnalysisPipe(new DatasetAnalyser(), exec, null, capacity::incrementAndGet,
                t -> { throw new AssertionError(t); });
        int pos = 0;
        int chunk = 8192;
        // nothing is analysed yet: the pipe reports full once MAX_IN_FLIGHT blocks wait
        while (!pipe.full()) {
            pipe.write(Buffer.buffer().appendBytes(bytes, pos, chunk));
            pos += chunk;
        }
        assertEquals((long) AnalysisPipe.MAX_IN_FLIGHT * AnalysisPipe.BLOCK, pos);
        assertFalse(pipe.low());
        exec.runAll(); // the worker catches up; blocks come back
        assertTrue(pipe.low());
        assertFalse(pipe.full());
        assertTrue(capacity.get() > 0, "capacity is signalled once the blocks in flight fall to the low mark");
        while (pos < bytes.length) {
            int n = Math.min(chunk, bytes.length - pos);
            pipe.write(Buffer.buffer().appendBytes(bytes, pos, n));
            pos += n;
            if (pipe.full()) {
                exec.runAll();
            }
        }
        pipe.end(result::set);
        assertNull(result.get(), "the result comes from the worker");
        exec.runAll();
        assertEquals(inline(bytes), result.get());
    }

    @Test
    void onRealThreadsChunksOfAnySizeKeepTheirOrder() throws Exception {
        byte[] bytes = dataset(30_000, 2);
        AnalysisResult expected = inline(bytes);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        Vertx vertx = Vertx.vertx();
        try {
            for (int round = 0; round < 3; round++) {
                Random rnd = new Random(round);
                CompletableFuture<AnalysisResult> done = new CompletableFuture<>();
                Context ctx = vertx.getOrCreateContext();
                ctx.runOnContext(v -> {
                    AnalysisPipe[] pipe = new AnalysisPipe[1];
                    int[] pos = {0};
                    // feeds on the event loop as a paused/resumed body would: stop while full, go on when told
                    Runnable[] pump = new Runnable[1];
                    pump[0] = () -> {
                        while (pos[0] < bytes.length && !pipe[0].full()) {
                            int n = Math.min(1 + rnd.nextInt(200_000), bytes.length - pos[0]);
                            pipe[0].write(Buffer.buffer().appendBytes(bytes, pos[0], n));
                            pos[0] += n;
                        }
                        if (pos[0] == bytes.length) {
                            pos[0]++;
                            pipe[0].end(done::complete);
                        }
                    };
                    pipe[0] = new AnalysisPipe(new DatasetAnalyser(), pool, ctx, () -> {
                        assertTrue(Context.isOnEventLoopThread(), "callbacks come back to the event loop");
                        if (pos[0] < bytes.length) {
                            pump[0].run();
                        }
                    }, done::completeExceptionally);
                    pump[0].run();
                });
                assertEquals(expected, done.get(60, TimeUnit.SECONDS), "round " + round);
            }
        } finally {
            pool.shutdownNow();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCancelledPipeDeliversNothing() {
        Manual exec = new Manual();
        AtomicReference<AnalysisResult> result = new AtomicReference<>();
        AnalysisPipe pipe = new AnalysisPipe(new DatasetAnalyser(), exec, null, () -> { },
                t -> { throw new AssertionError(t); });
        byte[] bytes = dataset(2_000, 3);
        pipe.write(Buffer.buffer(bytes));
        pipe.cancel();
        pipe.end(result::set);
        exec.runAll();
        assertNull(result.get());
        assertTrue(pipe.low(), "dropped blocks are still given back");
    }
}
