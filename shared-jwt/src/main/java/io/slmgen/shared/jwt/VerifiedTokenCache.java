package io.slmgen.shared.jwt;

import java.security.Key;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tokens that passed full verification, keyed by the exact token string, so a client that sends the
 * same access token on every request (supabase-js does, for up to an hour) is not parsed and verified
 * again each time. {@link JwtVerifier} owns all the rules; this class only stores and bounds.
 *
 * <p><b>What is stored:</b> only successful verifications, each with the token's {@code exp} and
 * {@code nbf} (re-checked by the verifier against its clock and leeway on every hit), a deadline
 * ({@code min(verified at + ttl, exp)}) after which the entry is dead, and, for ES256/RS256 tokens, the
 * {@code kid} and the very key object that verified it (the verifier only accepts a hit while the
 * current JWKS still maps that kid to that key).
 *
 * <p><b>Bound and eviction:</b> two generations of at most {@code max(1, size / 2)} entries each. New
 * entries go to the young generation; when it is full it becomes the old one and the previous old one is
 * dropped whole (O(1), no scan, no per-entry bookkeeping). A hit in the old generation is copied to
 * the young one, so tokens in use survive and only tokens not seen for a whole generation go. At most
 * {@code 2 × max(1, size / 2)} entries (plus the few racing inserts of concurrent threads) are ever
 * held, whatever tokens arrive, and only validly signed tokens can be inserted at all.
 *
 * <p><b>Concurrency:</b> lookups and inserts are {@link ConcurrentHashMap} operations; the generation
 * switch is one compare-and-set. No lock on the hot path.
 *
 * <p><b>Why not Caffeine:</b> it is in the Quarkus BOM but not on shared-jwt's classpath (only as
 * quarkus-caffeine, which would pull a Quarkus extension into every service and into the plain-Java
 * JMH harness), and a verified token needs neither its frequency sketch nor its timer wheel: entries are
 * checked for age on every hit anyway, and the generation scheme bounds memory without a sweeper
 * thread.
 */
public final class VerifiedTokenCache {

    /**
     * One verified token.
     *
     * @param deadlineMillis the entry is dead from this instant on (verified at + ttl, capped at exp)
     * @param exp            the token's exp, in seconds
     * @param nbf            the token's nbf in seconds, or {@link Long#MIN_VALUE} when it has none
     * @param kid            the JWKS kid that verified it, null for HS256
     * @param key            the JWKS key that verified it, null for HS256
     */
    public record Entry(VerifiedToken token, long deadlineMillis, long exp, long nbf, String kid, Key key) {
    }

    private static final class Generation {
        final ConcurrentHashMap<String, Entry> map;
        final AtomicInteger added = new AtomicInteger();

        Generation(int capacity) {
            this.map = new ConcurrentHashMap<>(Math.min(capacity, 1024));
        }
    }

    private record Generations(Generation young, Generation old) {
    }

    private final int generationCapacity;
    private final AtomicReference<Generations> generations;

    public VerifiedTokenCache(int maxSize) {
        this.generationCapacity = Math.max(1, maxSize / 2);
        this.generations = new AtomicReference<>(
                new Generations(new Generation(generationCapacity), new Generation(generationCapacity)));
    }

    /** The entry stored for this exact token, if any (possibly dead: the caller checks). */
    public Entry get(String token) {
        Generations g = generations.get();
        Entry e = g.young.map.get(token);
        if (e != null) {
            return e;
        }
        e = g.old.map.get(token);
        if (e != null) {
            insert(g, token, e);
        }
        return e;
    }

    public void put(String token, Entry entry) {
        insert(generations.get(), token, entry);
    }

    /** Forgets this entry (only if it is still the one stored: a fresher one is kept). */
    public void remove(String token, Entry entry) {
        Generations g = generations.get();
        g.young.map.remove(token, entry);
        g.old.map.remove(token, entry);
    }

    /** Entries currently held (both generations; a token may be counted twice while being promoted). */
    public int size() {
        Generations g = generations.get();
        return g.young.map.size() + g.old.map.size();
    }

    /** The most entries held at once (without racing inserts). */
    public int capacity() {
        return 2 * generationCapacity;
    }

    private void insert(Generations g, String token, Entry entry) {
        if (g.young.map.put(token, entry) == null
                && g.young.added.incrementAndGet() >= generationCapacity) {
            // only one thread wins the switch; a loser's entry simply lands in what is now the old generation
            generations.compareAndSet(g, new Generations(new Generation(generationCapacity), g.young));
        }
    }
}
