package io.slmgen.datasets.upload;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.slmgen.datasets.analysis.AnalysisResult;
import io.slmgen.datasets.analysis.DatasetAnalyser;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;

/**
 * Runs one upload's {@link DatasetAnalyser} on a worker thread, so that receiving the body and forwarding
 * it to storage (on the request's event loop) overlap with the analysis. The event loop copies the body
 * into blocks of {@link #BLOCK} bytes ({@link #write}); full blocks are analysed in order, one at a time,
 * by whichever pool thread runs this pipe's queue (never two at once). At most about
 * {@link #MAX_IN_FLIGHT} blocks wait or are being analysed: {@link #full()} tells the caller to pause the
 * body, and {@code onCapacity} (on the event loop) that it may resume - so memory per upload stays
 * bounded (≈ 1 MiB plus the analyser's own state).
 *
 * <p>Threading: {@link #write}, {@link #full}, {@link #end} and {@link #cancel} are called on the event
 * loop ({@code context}); every callback comes back to it. The analyser is only touched by the worker
 * that drains the queue; the queue and the {@code scheduled} flag order those hand-overs.
 */
final class AnalysisPipe {

    static final int BLOCK = 128 * 1024;
    static final int MAX_IN_FLIGHT = 8;
    /** Resume the body once this few blocks are left in flight. */
    static final int LOW_MARK = MAX_IN_FLIGHT / 2;

    private record Chunk(byte[] bytes, int len) {
    }

    private static final Object END = new Object();

    private final DatasetAnalyser analyser;
    private final Executor executor;
    private final Context context;
    private final Runnable onCapacity;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean cancelled;

    // event-loop state
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    private byte[] block;
    private int blockLen;
    private int inFlight;
    private final Consumer<Throwable> onError;
    private Consumer<AnalysisResult> onResult;

    /**
     * @param onCapacity event loop: the blocks in flight fell to the low mark (the body may resume)
     * @param onError event loop: the analyser failed (a bug); nothing else is delivered after it
     */
    AnalysisPipe(DatasetAnalyser analyser, Executor executor, Context context, Runnable onCapacity,
                 Consumer<Throwable> onError) {
        this.analyser = analyser;
        this.executor = executor;
        this.context = context;
        this.onCapacity = onCapacity;
        this.onError = onError;
    }

    /** Copies the buffer's bytes for the analysis (the buffer itself may be handed on elsewhere). */
    void write(Buffer b) {
        int len = b.length();
        int pos = 0;
        while (pos < len) {
            if (block == null) {
                block = free.isEmpty() ? new byte[BLOCK] : free.pop();
                blockLen = 0;
            }
            int n = Math.min(len - pos, BLOCK - blockLen);
            b.getBytes(pos, pos + n, block, blockLen);
            blockLen += n;
            pos += n;
            if (blockLen == BLOCK) {
                flush();
            }
        }
    }

    /** True while the analysis is so far behind that the body should be paused. */
    boolean full() {
        return inFlight >= MAX_IN_FLIGHT;
    }

    boolean low() {
        return inFlight <= LOW_MARK;
    }

    /** No more bytes: the result comes back on the event loop (unless cancelled or failed). */
    void end(Consumer<AnalysisResult> result) {
        this.onResult = result;
        flush();
        submit(END);
    }

    /** The upload failed elsewhere: blocks still queued are dropped unanalysed, no result is delivered. */
    void cancel() {
        cancelled = true;
    }

    private void flush() {
        if (block != null && blockLen > 0) {
            inFlight++;
            submit(new Chunk(block, blockLen));
            block = null;
        }
    }

    private void submit(Object item) {
        queue.add(item);
        if (scheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    /** On a worker: analyses queued blocks in order until the queue is empty. */
    private void drain() {
        while (true) {
            Object item;
            while ((item = queue.poll()) != null) {
                if (item == END) {
                    finish();
                } else {
                    Chunk c = (Chunk) item;
                    if (!cancelled) {
                        try {
                            analyser.feed(c.bytes(), 0, c.len());
                        } catch (RuntimeException | Error e) {
                            cancelled = true;
                            back(() -> onError.accept(e));
                        }
                    }
                    back(() -> returned(c.bytes()));
                }
            }
            scheduled.set(false);
            // a submit between the last poll and the reset found scheduled == true: take over its item
            if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void finish() {
        if (cancelled) {
            return;
        }
        AnalysisResult r;
        try {
            r = analyser.finish();
        } catch (RuntimeException | Error e) {
            back(() -> onError.accept(e));
            return;
        }
        back(() -> onResult.accept(r));
    }

    private void back(Runnable r) {
        if (context == null) {
            r.run();
        } else {
            context.runOnContext(v -> r.run());
        }
    }

    /** Event loop: a block was analysed (or dropped). */
    private void returned(byte[] b) {
        inFlight--;
        if (free.size() < MAX_IN_FLIGHT) {
            free.push(b);
        }
        if (inFlight <= LOW_MARK) {
            onCapacity.run();
        }
    }
}
