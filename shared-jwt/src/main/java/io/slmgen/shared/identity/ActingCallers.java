package io.slmgen.shared.identity;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.jwt.InvalidTokenException;
import io.slmgen.shared.jwt.JwtVerifier;
import io.slmgen.shared.jwt.TokenIssuer;

/**
 * Builds a {@link Caller} for a known user without their token: only for SLMGEN's anonymous sessions
 * (SPEC §15), whose owner is an anonymous user created for the session and reachable by session id.
 * The minted token is short-lived and verified like any other, so RLS applies as for that user.
 */
@ApplicationScoped
public class ActingCallers {

    private static final Duration TTL = Duration.ofMinutes(5);

    private final TokenIssuer issuer;
    private final JwtVerifier verifier;

    public ActingCallers(SharedConfig config, JwtVerifier verifier) {
        String secret = config.jwt().secret().orElseThrow(
                () -> new IllegalStateException("SUPABASE_JWT_SECRET is required to act for anonymous sessions"));
        this.issuer = new TokenIssuer(secret, config.publicUrl() + "/auth/v1", Clock.systemUTC());
        this.verifier = verifier;
    }

    /** The owner of an anonymous session, as a caller whose token can be forwarded to other services. */
    public Caller anonymousOwner(UUID userId) {
        String token = issuer.userToken(userId, null, true, TTL);
        String anonKey = issuer.apiKey("anon", TTL);
        try {
            return Caller.of(verifier.verify(token), token, anonKey);
        } catch (InvalidTokenException e) {
            throw new ApiException(500, "unexpected_failure", "could not act for the session's owner");
        }
    }

    public TokenIssuer issuer() {
        return issuer;
    }
}
