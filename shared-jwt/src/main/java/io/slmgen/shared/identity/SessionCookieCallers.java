package io.slmgen.shared.identity;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * When a request's session cookie may identify its caller (SPEC §15): only on {@code /slmgen} paths,
 * only without an {@code Authorization} header (a bearer token always wins), and only when the request
 * comes from a page of the gateway's own origin or an allowed frontend origin ({@code Origin}, else
 * {@code Referer}) - a cross-site form or fetch carries the cookie too, but not our origin.
 */
@ApplicationScoped
public class SessionCookieCallers {

    private final boolean enabled;
    private final String cookieName;
    private final Set<String> allowedOrigins;

    @Inject
    public SessionCookieCallers(SessionCookieConfig config, SharedConfig shared) {
        this.enabled = config.enabled();
        this.cookieName = config.name().map(String::trim).filter(n -> !n.isEmpty())
                .orElseGet(() -> SessionCookies.cookieName(shared.publicUrl()));
        this.allowedOrigins = SessionCookies.allowedOrigins(shared.publicUrl(), config.allowedOrigins().orElse(List.of()));
    }

    /**
     * The access token to verify for this request, if its session cookie may be used.
     *
     * @param cookieHeaders every {@code Cookie} header of the request (may be empty)
     */
    public Optional<String> accessToken(String path, List<String> cookieHeaders, String origin, String referer) {
        if (!enabled || !(path.equals("/slmgen") || path.startsWith("/slmgen/"))) {
            return Optional.empty();
        }
        if (cookieHeaders == null || cookieHeaders.isEmpty()
                || !SessionCookies.fromAllowedOrigin(origin, referer, allowedOrigins)) {
            return Optional.empty();
        }
        return SessionCookies.accessToken(cookieHeaders, cookieName);
    }

    public String cookieName() {
        return cookieName;
    }

    public Set<String> allowedOrigins() {
        return allowedOrigins;
    }
}
