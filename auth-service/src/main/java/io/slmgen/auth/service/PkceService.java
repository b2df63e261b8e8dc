package io.slmgen.auth.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.auth.model.GoTrueSession;
import io.slmgen.auth.repository.FlowStateRepository;
import io.slmgen.auth.repository.FlowStateRepository.FlowState;
import io.slmgen.auth.repository.UserRepository;
import io.slmgen.auth.token.Secrets;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** PKCE (RFC 7636) as GoTrue does it: flow states, auth codes, and grant_type=pkce. */
@ApplicationScoped
public class PkceService {

    /** How long an issued auth code can be exchanged (GoTrue: 5 minutes). */
    static final Duration CODE_TTL = Duration.ofMinutes(5);
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    public record Challenge(String challenge, String method) {
    }

    @Inject
    CallerTransactions tx;
    @Inject
    FlowStateRepository flows;
    @Inject
    UserRepository users;
    @Inject
    AuthService auth;

    /** The request's challenge, validated; null when the client does not use PKCE. */
    public static Challenge challenge(String challenge, String method) {
        if (challenge == null || challenge.isEmpty()) {
            return null;
        }
        String m = method == null || method.isBlank() ? "s256" : method.toLowerCase();
        if (!m.equals("s256") && !m.equals("plain")) {
            throw GoTrueError.VALIDATION_FAILED.exception("code challenge method must be s256 or plain");
        }
        if (!CHALLENGE.matcher(challenge).matches()) {
            throw GoTrueError.VALIDATION_FAILED.exception("code challenge must be 43-128 URL-safe characters");
        }
        return new Challenge(challenge, m);
    }

    public Uni<UUID> create(SqlConnection c, UUID userId, Challenge ch, String providerType, String authenticationMethod) {
        UUID id = UUID.randomUUID();
        return flows.insert(c, id, userId, Secrets.sha256(Secrets.linkToken()), ch.method(), ch.challenge(), providerType,
                authenticationMethod).map(v -> id);
    }

    /** Issues the auth code for a completed flow; the redirect carries it as ?code=. */
    public Uni<String> issueCode(SqlConnection c, UUID flowId, UUID userId, String providerAccessToken, String providerRefreshToken) {
        String code = UUID.randomUUID().toString();
        return flows.issue(c, flowId, userId, Secrets.sha256(code), providerAccessToken, providerRefreshToken).map(v -> code);
    }

    /** POST /token?grant_type=pkce {auth_code, code_verifier}: single use, 5 minutes. */
    public Uni<GoTrueSession> exchange(String authCode, String verifier, ClientInfo client) {
        if (authCode == null || authCode.isBlank() || verifier == null || verifier.isBlank()) {
            throw GoTrueError.VALIDATION_FAILED.exception(
                    "invalid request: both auth code and code verifier should be non-empty");
        }
        if (authCode.length() > 255 || verifier.length() > 128) {
            throw notFound();
        }
        return tx.runAsService(c -> flows.findByCodeForUpdate(c, Secrets.sha256(authCode)).chain(found -> {
            FlowState f = found.orElseThrow(PkceService::notFound);
            return flows.delete(c, f.id()).chain(() -> {
                if (f.authCodeIssuedAt().plus(CODE_TTL).isBefore(OffsetDateTime.now())) {
                    return Uni.createFrom().item((GoTrueSession) null);
                }
                if (!matches(f, verifier)) {
                    throw GoTrueError.BAD_CODE_VERIFIER.exception();
                }
                return users.findById(c, f.userId()).chain(u -> {
                    if (u.isEmpty()) {
                        throw notFound();
                    }
                    if (u.get().isBanned()) {
                        throw GoTrueError.USER_BANNED.exception();
                    }
                    return auth.newSession(c, f.userId(), f.authenticationMethod(), client)
                            .map(s -> s.withProviderTokens(f.providerAccessToken(), f.providerRefreshToken()));
                });
            });
        })).map(s -> {
            if (s == null) {
                throw GoTrueError.FLOW_STATE_EXPIRED.exception();
            }
            return s;
        });
    }

    static boolean matches(FlowState f, String verifier) {
        String expected = f.codeChallengeMethod().equals("plain") ? verifier : s256(verifier);
        return Secrets.same(expected, f.codeChallenge());
    }

    static String s256(String verifier) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiException notFound() {
        return GoTrueError.FLOW_STATE_NOT_FOUND.exception();
    }
}
