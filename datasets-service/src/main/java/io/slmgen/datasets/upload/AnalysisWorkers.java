package io.slmgen.datasets.upload;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.slmgen.datasets.config.DatasetsConfig;

/**
 * The threads that analyse uploads (off the event loops, SPEC §13): a fixed pool of
 * {@code datasets.analysis-threads} daemon threads (default: the number of cores). Each upload's blocks
 * are analysed in order by one task at a time (see the upload's analysis pipe), so the pool only bounds
 * how many uploads are analysed at the same moment.
 */
@ApplicationScoped
public class AnalysisWorkers implements Executor {

    private final ExecutorService pool;

    public AnalysisWorkers(DatasetsConfig config) {
        int n = config.analysisThreads() > 0 ? config.analysisThreads() : Runtime.getRuntime().availableProcessors();
        AtomicInteger ids = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "datasets-analysis-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    @PreDestroy
    void close() {
        pool.shutdownNow();
    }
}
