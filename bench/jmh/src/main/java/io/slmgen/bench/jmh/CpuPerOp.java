package io.slmgen.bench.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The same four cases as {@link TokenVerificationBenchmark}, timed by the thread's CPU time instead of
 * the wall clock: on a shared, overloaded machine JMH's wall-clock samples include every time the
 * thread was descheduled, while CPU time per operation only counts the work done. Prints, per case,
 * the median over rounds of CPU µs per verify (each round: a fixed number of calls after a warm-up).
 *
 * <p>Run: {@code java -cp bench/jmh/target/benchmarks.jar io.slmgen.bench.jmh.CpuPerOp [rounds]}.
 */
public final class CpuPerOp {

    interface Op {
        Object run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        TokenVerificationBenchmark b = new TokenVerificationBenchmark();
        b.setUp();
        Map<String, Op> cases = new LinkedHashMap<>();
        cases.put("hs256Uncached", b::hs256Uncached);
        cases.put("hs256Cached", b::hs256Cached);
        cases.put("es256Uncached", b::es256Uncached);
        cases.put("es256Cached", b::es256Cached);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Object sink = null;
        for (Map.Entry<String, Op> c : cases.entrySet()) {
            Op op = c.getValue();
            // calibrate: about 0.3 s of CPU per round
            int n = 16;
            while (true) {
                long t0 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    sink = op.run();
                }
                long spent = threads.getCurrentThreadCpuTime() - t0;
                if (spent > 300_000_000L || n >= 1 << 24) {
                    break;
                }
                n *= 2;
            }
            // warm-up: the same amount of work again, three times
            for (int w = 0; w < 3 * n; w++) {
                sink = op.run();
            }
            double[] perOp = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    sink = op.run();
                }
                perOp[r] = (threads.getCurrentThreadCpuTime() - t0) / 1000.0 / n;
            }
            Arrays.sort(perOp);
            System.out.printf("cpu %-14s median %8.2f µs/op  (min %.2f, max %.2f; %d rounds x %d ops)%n",
                    c.getKey(), perOp[rounds / 2], perOp[0], perOp[rounds - 1], rounds, n);
        }
        if (sink == null) {
            System.out.println();
        }
    }
}
