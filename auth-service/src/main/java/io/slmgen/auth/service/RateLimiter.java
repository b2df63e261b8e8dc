package io.slmgen.auth.service;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.slmgen.shared.error.ApiException;

/**
 * Fixed-window counters per bucket and key (an IP or an address), in memory: enough for one instance;
 * several replicas each count on their own (the limit then holds per replica).
 */
@ApplicationScoped
public class RateLimiter {

    private record Window(long startMillis, int count) {
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** Counts one hit; over {@code limit} in the window → 429 with the given code and Retry-After. */
    public void hit(String bucket, String key, int limit, Duration window, String code, String message) {
        if (limit <= 0 || key == null) {
            return;
        }
        long now = System.currentTimeMillis();
        long span = window.toMillis();
        if (windows.size() > 100_000) {
            windows.entrySet().removeIf(e -> now - e.getValue().startMillis() >= span);
        }
        Window w = windows.compute(bucket + "|" + key, (k, old) -> old == null || now - old.startMillis() >= span
                ? new Window(now, 1) : new Window(old.startMillis(), old.count() + 1));
        if (w.count() > limit) {
            long retry = Math.max(1, (w.startMillis() + span - now + 999) / 1000);
            throw new ApiException(429, code, message).header("Retry-After", String.valueOf(retry));
        }
    }

    /** Forgets every counter (tests and operators). */
    public void reset() {
        windows.clear();
    }
}
