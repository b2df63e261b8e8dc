package io.slmgen.shared.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.jwt.InvalidTokenException;
import io.slmgen.shared.jwt.JwtVerifier;
import io.slmgen.shared.jwt.TokenIssuer;

/**
 * The keys a service uses when it calls other services on its own behalf, and callers it builds for
 * users without their token.
 *
 * <ul>
 * <li>{@link #serviceRoleKey()}: {@code SUPABASE_SERVICE_KEY} when it is set (a hosted Supabase project
 * whose tokens are signed with asymmetric keys only has no secret to mint one with), else a short-lived
 * key minted with {@code SUPABASE_JWT_SECRET}.</li>
 * <li>{@link #anonymousOwner(UUID)}: the owner of an anonymous SLMGEN session (SPEC §15), whose owner is an
 * anonymous user created for the session and reachable by session id. The token is minted with
 * {@code SUPABASE_JWT_SECRET} and verified like any other, so RLS applies as for that user. Without a
 * secret (a deployment that only sets {@code SUPABASE_JWKS_URL}) there is nothing to mint with: anonymous
 * sessions then answer 503 naming the missing setting, and signed-in callers work as usual.</li>
 * </ul>
 */
@ApplicationScoped
public class ActingCallers {

    /** Minted user tokens (acting for a session's owner) and service keys live this long. */
    private static final Duration TTL = Duration.ofMinutes(5);
    /**
     * A minted key is reused for this part of its life, so the services receiving it answer it from their
     * verified-token cache; whoever takes one still has at least TTL - REUSE to use it.
     */
    private static final Duration REUSE = Duration.ofMinutes(2);
    /** The anon key rides along with a user's token for a whole upload: it grants nothing beyond anon. */
    private static final Duration ANON_TTL = Duration.ofHours(1);
    private static final Duration ANON_REUSE = Duration.ofMinutes(30);

    private final Optional<TokenIssuer> issuer;
    private final Optional<String> configuredServiceKey;
    private final Optional<String> configuredAnonKey;
    private final JwtVerifier verifier;
    private final Clock clock;
    private volatile Minted mintedServiceKey;
    private volatile Minted mintedAnonKey;

    private record Minted(String key, Instant renewAfter) {
    }

    @Inject
    public ActingCallers(SharedConfig config, JwtVerifier verifier) {
        this(config.jwt().secret(), config.serviceKey(), config.anonKey(), config.publicUrl(), verifier, Clock.systemUTC());
    }

    ActingCallers(Optional<String> secret, Optional<String> serviceKey, Optional<String> anonKey, String publicUrl,
                  JwtVerifier verifier, Clock clock) {
        this.issuer = secret.filter(s -> !s.isBlank()).map(s -> new TokenIssuer(s, publicUrl + "/auth/v1", clock));
        this.configuredServiceKey = serviceKey.map(String::trim).filter(s -> !s.isEmpty());
        this.configuredAnonKey = anonKey.map(String::trim).filter(s -> !s.isEmpty());
        this.verifier = verifier;
        this.clock = clock;
    }

    /**
     * The service_role API key for calls this service makes on its own behalf (send it as both
     * {@code apikey} and {@code Authorization: Bearer}): SUPABASE_SERVICE_KEY when set, else minted.
     */
    public String serviceRoleKey() {
        if (configuredServiceKey.isPresent()) {
            return configuredServiceKey.get();
        }
        Minted m = mintedServiceKey;
        if (m == null || clock.instant().isAfter(m.renewAfter())) {
            m = new Minted(mintingIssuer("calls as service_role need SUPABASE_SERVICE_KEY or SUPABASE_JWT_SECRET")
                    .apiKey("service_role", TTL), clock.instant().plus(REUSE));
            mintedServiceKey = m;
        }
        return m.key();
    }

    /** The anon API key to send beside a user's token: SUPABASE_ANON_KEY when set, else minted. */
    public String anonKey() {
        if (configuredAnonKey.isPresent()) {
            return configuredAnonKey.get();
        }
        Minted m = mintedAnonKey;
        if (m == null || clock.instant().isAfter(m.renewAfter())) {
            m = new Minted(mintingIssuer("the anon key needs SUPABASE_ANON_KEY or SUPABASE_JWT_SECRET")
                    .apiKey("anon", ANON_TTL), clock.instant().plus(ANON_REUSE));
            mintedAnonKey = m;
        }
        return m.key();
    }

    /**
     * This service acting on its own behalf as service_role (clean-ups, sweeps), as a caller whose key
     * can be forwarded to other services: SUPABASE_SERVICE_KEY when set, else minted.
     */
    public Caller serviceRole() {
        String key = serviceRoleKey();
        try {
            return Caller.of(verifier.verify(key), key, key);
        } catch (InvalidTokenException e) {
            // SUPABASE_SERVICE_KEY that this deployment's own verifier refuses: a configuration error
            throw ApiError.UNEXPECTED_FAILURE.exception("the configured service key is not accepted: "
                    + e.getMessage());
        }
    }

    /** The owner of an anonymous session, as a caller whose token can be forwarded to other services. */
    public Caller anonymousOwner(UUID userId) {
        String token = mintingIssuer("anonymous SLMGEN sessions need SUPABASE_JWT_SECRET (this deployment only "
                + "verifies tokens with SUPABASE_JWKS_URL): sign in to use the service")
                .userToken(userId, null, true, TTL);
        try {
            return Caller.of(verifier.verify(token), token, anonKey());
        } catch (InvalidTokenException e) {
            throw ApiError.UNEXPECTED_FAILURE.exception("could not act for the session's owner");
        }
    }

    /**
     * Signs tokens with SUPABASE_JWT_SECRET. Prefer {@link #serviceRoleKey()} and {@link #anonKey()} for API
     * keys: they honour SUPABASE_SERVICE_KEY / SUPABASE_ANON_KEY.
     *
     * @throws ApiException 503 when no secret is configured
     */
    public TokenIssuer issuer() {
        return mintingIssuer("signing tokens needs SUPABASE_JWT_SECRET");
    }

    /** Whether tokens can be minted here (a secret is configured). */
    public boolean canMint() {
        return issuer.isPresent();
    }

    private TokenIssuer mintingIssuer(String missing) {
        // 503 without Retry-After: this is the deployment's configuration, not a passing state
        return issuer.orElseThrow(() -> ApiError.NOT_CONFIGURED.exception(missing));
    }
}
