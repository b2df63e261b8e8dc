package io.slmgen.shared.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the same client code on several threads at once, for tests of what concurrency breaks (a delete whose
 * commit never goes out, a lost update): each client reports the problems it met, and the test asserts there
 * were none. Each client has a thread of its own; the common pool may have a single thread on a 2-core machine,
 * which would run the clients one after the other and hide the race under test.
 */
public final class ConcurrentClients {

    /** One client's work; {@code client} is its number, from 0. Returns what went wrong (empty: nothing). */
    @FunctionalInterface
    public interface Client {
        List<String> run(int client) throws Exception;
    }

    private ConcurrentClients() {
    }

    /**
     * Starts {@code clients} clients together and waits for all of them, at most {@code minutes} each: the
     * problems of all clients, in client order; a client that threw or did not finish adds one problem.
     */
    public static List<String> run(int clients, long minutes, Client work) throws InterruptedException {
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                runs.add(threads.submit(() -> work.run(client)));
            }
            List<String> problems = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                try {
                    problems.addAll(runs.get(c).get(minutes, TimeUnit.MINUTES));
                } catch (ExecutionException e) {
                    problems.add("client " + c + ": " + e.getCause());
                } catch (TimeoutException e) {
                    problems.add("client " + c + ": not done after " + minutes + " min");
                }
            }
            return problems;
        } finally {
            threads.shutdownNow();
        }
    }
}
