import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

import io.slmgen.datasets.analysis.AnalysisResult;
import io.slmgen.datasets.analysis.DatasetAnalyser;

/**
 * The analyser alone, timed by the CPU time of the analysing thread (steadier than wall time on a
 * shared machine): prints per run MB/s by wall clock and MB per CPU-second, then the result of the
 * last run. Usage (single-file source): java -cp CLASSPATH bench/datasets/AnalyseCpu.java FILE [RUNS] [CHUNK]
 */
public class AnalyseCpu {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int chunk = args.length > 2 ? Integer.parseInt(args[2]) : 64 * 1024;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        byte[] buf = new byte[chunk];
        AnalysisResult r = null;
        for (int run = 1; run <= runs; run++) {
            long t0 = System.nanoTime();
            long c0 = mx.getCurrentThreadCpuTime();
            DatasetAnalyser a = new DatasetAnalyser();
            try (InputStream in = Files.newInputStream(file)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    a.feed(buf, 0, n);
                }
            }
            r = a.finish();
            double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
            double secs = (System.nanoTime() - t0) / 1e9;
            double mb = r.bytes() / 1e6;
            Runtime rt = Runtime.getRuntime();
            System.out.printf("run %d: %.1f MB, wall %.3f s = %.1f MB/s, thread CPU %.3f s = %.1f MB/CPU-s (heap used %d MiB)%n",
                    run, mb, secs, mb / secs, cpu, mb / cpu, (rt.totalMemory() - rt.freeMemory()) >> 20);
        }
        System.out.println(r);
    }
}
