package io.slmgen.shared.jwt;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * Public keys from a JWKS URL, by {@code kid}. Keys are cached; an unknown kid triggers a refresh,
 * but never more often than the configured floor, so a stream of forged kids cannot flood the issuer.
 * Fetches are asynchronous so the caller's event loop is never blocked.
 */
public final class JwksKeySource {

    private final URI url;
    private final Duration minRefresh;
    private final Duration maxAge;
    private final Clock clock;
    private final HttpClient http;
    private final AtomicReference<Map<String, Key>> keys = new AtomicReference<>(Map.of());
    private volatile Instant lastFetch = Instant.EPOCH;
    private final AtomicReference<CompletableFuture<Void>> inFlight = new AtomicReference<>();
    private final Map<String, Boolean> ignored = new ConcurrentHashMap<>();

    public JwksKeySource(URI url, Duration minRefresh, Duration maxAge, Clock clock) {
        this.url = url;
        this.minRefresh = minRefresh;
        this.maxAge = maxAge;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    }

    /** The key for {@code kid}, refreshing the set first if the kid is unknown or the set is stale. */
    public CompletableFuture<Optional<Key>> key(String kid) {
        Key known = keys.get().get(kid);
        Instant now = clock.instant();
        boolean stale = now.isAfter(lastFetch.plus(maxAge));
        if (known != null && !stale) {
            return CompletableFuture.completedFuture(Optional.of(known));
        }
        if (now.isBefore(lastFetch.plus(minRefresh))) {
            return CompletableFuture.completedFuture(Optional.ofNullable(known));
        }
        return refresh().handle((ok, err) -> Optional.ofNullable(keys.get().get(kid)));
    }

    /**
     * The key the current set holds for {@code kid}, without any fetch: null when the kid is not in the
     * set or when the set is older than the max age (then {@link #key} must be asked, which refreshes).
     * The verified-token cache uses it to stop answering for a token once its key is gone or replaced.
     */
    public Key currentKey(String kid) {
        Key known = keys.get().get(kid);
        if (known == null || clock.instant().isAfter(lastFetch.plus(maxAge))) {
            return null;
        }
        return known;
    }

    /** Loads a key set directly (tests, or keys supplied by configuration). */
    public void load(String jwksJson) throws JoseException {
        keys.set(parse(jwksJson));
        lastFetch = clock.instant();
    }

    private CompletableFuture<Void> refresh() {
        CompletableFuture<Void> running = inFlight.get();
        if (running != null) {
            return running;
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        if (!inFlight.compareAndSet(null, mine)) {
            return inFlight.get();
        }
        lastFetch = clock.instant();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            try {
                if (error == null && response.statusCode() == 200) {
                    keys.set(parse(response.body()));
                }
            } catch (JoseException | RuntimeException e) {
                // keep the previous set: a broken JWKS response must not drop keys that still verify
            } finally {
                inFlight.set(null);
                mine.complete(null);
            }
        });
        return mine;
    }

    private static Map<String, Key> parse(String json) throws JoseException {
        List<JsonWebKey> all = new JsonWebKeySet(json).getJsonWebKeys();
        Map<String, Key> byKid = new ConcurrentHashMap<>();
        for (JsonWebKey jwk : all) {
            // only asymmetric public keys are ever accepted from a JWKS: a symmetric ("oct") entry
            // would let anyone who can read the JWKS mint tokens
            if (jwk instanceof PublicJsonWebKey pub && jwk.getKeyId() != null) {
                byKid.put(jwk.getKeyId(), pub.getPublicKey());
            }
        }
        return Map.copyOf(byKid);
    }
}
