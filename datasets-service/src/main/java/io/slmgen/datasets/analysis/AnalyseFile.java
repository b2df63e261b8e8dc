package io.slmgen.datasets.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Command line: analyses a JSONL file with {@link DatasetAnalyser} and prints the result and MB/s
 * (used by bench/datasets/analyse.sh). {@code java -cp <classpath> io.slmgen.datasets.analysis.AnalyseFile FILE [runs]}
 */
public final class AnalyseFile {

    private AnalyseFile() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        byte[] buf = new byte[64 * 1024];
        for (int run = 1; run <= runs; run++) {
            long t0 = System.nanoTime();
            DatasetAnalyser a = new DatasetAnalyser();
            try (InputStream in = Files.newInputStream(file)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    a.feed(buf, 0, n);
                }
            }
            AnalysisResult r = a.finish();
            double secs = (System.nanoTime() - t0) / 1e9;
            double mb = r.bytes() / 1e6;
            Runtime rt = Runtime.getRuntime();
            System.out.printf("run %d: %.1f MB in %.3f s = %.1f MB/s (heap used %d MiB)%n", run, mb, secs, mb / secs,
                    (rt.totalMemory() - rt.freeMemory()) >> 20);
            if (run == runs) {
                System.out.println(r);
            }
        }
    }
}
