package io.slmgen.auth.service;

import java.time.Duration;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.auth.AuthConfig;
import io.slmgen.auth.repository.RateLimitRepository;
import io.slmgen.auth.repository.RateLimitRepository.Window;
import io.slmgen.auth.token.Secrets;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.db.DbErrors;
import io.slmgen.shared.identity.ClientAddress;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Every limit of auth-service (SPEC §4.1, §14): fixed windows counted in PostgreSQL (auth.rate_limits),
 * so all replicas share one count per key. A hit is one atomic upsert, on the pool (autocommit) before any
 * work, or on the connection of the transaction it guards (then a refused request leaves no count).
 */
@ApplicationScoped
public class RateLimiter {

    /** A named limit: at most {@code max} hits per {@code window}; {@code max <= 0} switches it off. */
    public record Limit(String bucket, int max, Duration window, GoTrueError error, String message) {
    }

    /** The limits, from the configuration. */
    public record Limits(Limit signIn, Limit refresh, Limit verify, Limit mail, Limit anonymous, Limit emailSent,
                         Limit failedSignIns, Limit codeAttempts) {

        static Limits of(AuthConfig config) {
            AuthConfig.RateLimit r = config.rateLimit();
            GoTrueError request = GoTrueError.OVER_REQUEST_RATE_LIMIT;
            String reached = request.defaultMessage();
            return new Limits(
                    new Limit("signin", r.signInSignUps(), r.window(), request, reached),
                    new Limit("refresh", r.tokenRefresh(), r.window(), request, reached),
                    new Limit("verify", r.verify(), r.window(), request, reached),
                    new Limit("mail", r.otp(), r.window(), request, reached),
                    new Limit("anonymous", r.anonymousUsers(), r.anonymousWindow(), request, reached),
                    new Limit("email_sent", r.emailSent(), r.emailWindow(), GoTrueError.OVER_EMAIL_SEND_RATE_LIMIT,
                            GoTrueError.OVER_EMAIL_SEND_RATE_LIMIT.defaultMessage()),
                    new Limit("failed_sign_in", config.lockout().maxFailedAttempts(), config.lockout().window(), request,
                            "Too many failed sign-in attempts for this account. Try again later."),
                    new Limit("otp_attempts", config.otp().maxAttempts(), config.otp().expiry(),
                            GoTrueError.OTP_ATTEMPTS_EXCEEDED, GoTrueError.OTP_ATTEMPTS_EXCEEDED.defaultMessage()));
        }
    }

    private final Pool pool;
    private final RateLimitRepository windows;
    private final Limits limits;
    private final Predicate<String> exempt;

    @Inject
    public RateLimiter(Pool pool, RateLimitRepository windows, AuthConfig config) {
        this.pool = pool;
        this.windows = windows;
        this.limits = Limits.of(config);
        this.exempt = ClientAddress.networks(config.rateLimit().exemptAddresses().orElse(""),
                "auth.rate-limit.exempt-addresses");
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Counts a request against a per-IP limit. A client without an address (a service_role call that names
     * no end client) or one of the exempt addresses is not limited.
     */
    public Uni<Void> perIp(Limit limit, ClientInfo client) {
        String ip = client == null ? null : client.ip();
        if (ip == null || exempt.test(ip)) {
            return Uni.createFrom().voidItem();
        }
        return hit(pool, limit, ip);
    }

    /** Counts a hit on the pool; over the limit: 429 with the limit's code and Retry-After. */
    public Uni<Void> hit(Limit limit, String key) {
        return hit(pool, limit, key);
    }

    /** As {@link #hit(Limit, String)}, on the given connection (inside its transaction). */
    public Uni<Void> hit(SqlClient c, Limit limit, String key) {
        if (limit.max() <= 0 || key == null || key.isBlank()) {
            return Uni.createFrom().voidItem();
        }
        return count(c, limit, key).map(w -> {
            if (w.hits() > limit.max()) {
                throw refused(limit, w.secondsLeft());
            }
            return w;
        }).replaceWithVoid();
    }

    /** Counts a hit and answers the window (for limits whose consequence is not a 429). */
    public Uni<Window> count(SqlClient c, Limit limit, String key) {
        return windows.hit(c, limit.bucket(), Secrets.sha256(key), limit.window())
                .onFailure().transform(t -> DbErrors.translate(t, "service_role"));
    }

    /** Forgets a key's window (e.g. the failed sign-ins of an account after a good password). */
    public Uni<Void> reset(Limit limit, String key) {
        if (key == null) {
            return Uni.createFrom().voidItem();
        }
        return windows.reset(pool, limit.bucket(), Secrets.sha256(key))
                .onFailure().transform(t -> DbErrors.translate(t, "service_role"));
    }

    /** Deletes up to {@code batch} closed windows; the number deleted. */
    public Uni<Integer> sweep(int batch) {
        return windows.sweep(pool, batch).onFailure().transform(t -> DbErrors.translate(t, "service_role"));
    }

    static ApiException refused(Limit limit, long secondsLeft) {
        return limit.error().exception(limit.message()).header("Retry-After", String.valueOf(Math.max(1, secondsLeft)));
    }
}
