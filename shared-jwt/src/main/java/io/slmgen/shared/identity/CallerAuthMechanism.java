package io.slmgen.shared.identity;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * How every SLMGEN request authenticates (SPEC §3), as the one Quarkus Security mechanism of each service
 * (smallrye-jwt's own is switched off): reads {@code Authorization: Bearer}, the {@code apikey} header and,
 * on {@code /slmgen/*} without an Authorization header, an @supabase/ssr session cookie from an allowed
 * origin (SPEC §15, {@link SessionCookieCallers}), and hands them to {@link CallerIdentityProvider}.
 *
 * <p>Authentication is lazy ({@code quarkus.http.auth.proactive=false}) and {@link CallerFilter} asks for
 * the identity on every API request, after its migrations check, so a failure is answered in the path's
 * error shape exactly as before. The challenge below is therefore only a fallback.
 */
@ApplicationScoped
public class CallerAuthMechanism implements HttpAuthenticationMechanism {

    private static final Set<Class<? extends AuthenticationRequest>> CREDENTIAL_TYPES = Set.of(CallerCredentials.class);
    private static final Uni<HttpCredentialTransport> TRANSPORT = Uni.createFrom().item(
            new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    private static final Uni<ChallengeData> CHALLENGE = Uni.createFrom().item(new ChallengeData(401, null, null));

    private final SessionCookieCallers cookieSessions;

    @Inject
    public CallerAuthMechanism(SessionCookieCallers cookieSessions) {
        this.cookieSessions = cookieSessions;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        return identityProviderManager.authenticate(credentialsOf(context));
    }

    CallerCredentials credentialsOf(RoutingContext context) {
        HttpServerRequest request = context.request();
        String authorization = request.getHeader("Authorization");
        String apikey = request.getHeader("apikey");
        String apiKeyValue = apikey == null || apikey.isBlank() ? null : apikey.trim();
        if (authorization != null && !authorization.isBlank()) {
            String bearer = bearerToken(authorization.trim());
            if (bearer == null) {
                return new CallerCredentials(null, false, apiKeyValue, "Authorization must be a Bearer token");
            }
            return new CallerCredentials(bearer, false, apiKeyValue, null);
        }
        List<String> cookies = request.headers().getAll("Cookie");
        String cookieToken = cookieSessions.accessToken(context.normalizedPath(), cookies,
                request.getHeader("Origin"), request.getHeader("Referer")).orElse(null);
        return new CallerCredentials(cookieToken, cookieToken != null, apiKeyValue, null);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return CHALLENGE;
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return CREDENTIAL_TYPES;
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return TRANSPORT;
    }

    /**
     * The token of {@code Bearer <token>} (scheme case-insensitive, any run of whitespace between), or
     * null. By hand rather than a regex split: it runs on every request.
     */
    static String bearerToken(String authorization) {
        int n = authorization.length();
        int end = 0;
        while (end < n && !isSpace(authorization.charAt(end))) {
            end++;
        }
        int start = end;
        while (start < n && isSpace(authorization.charAt(start))) {
            start++;
        }
        if (end != 6 || start == n || !authorization.regionMatches(true, 0, "bearer", 0, 6)) {
            return null;
        }
        return authorization.substring(start);
    }

    /** What {@code \\s} matches. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
