package io.slmgen.shared.identity;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * What a request presented to prove who calls (SPEC §3), as read by {@link CallerAuthMechanism} and
 * verified by {@link CallerIdentityProvider}. Every field may be null; none at all means the anon role.
 *
 * @param bearer       the token of {@code Authorization: Bearer}, or of the session cookie
 * @param fromCookie   the bearer came from an @supabase/ssr session cookie (SPEC §15): if it does not
 *                     verify, the request goes on without it instead of failing
 * @param apikey       the {@code apikey} header
 * @param badAuthorization set when an {@code Authorization} header is present but is not a Bearer token:
 *                     the request fails with this reason
 */
public final class CallerCredentials extends BaseAuthenticationRequest {

    private final String bearer;
    private final boolean fromCookie;
    private final String apikey;
    private final String badAuthorization;

    public CallerCredentials(String bearer, boolean fromCookie, String apikey, String badAuthorization) {
        this.bearer = bearer;
        this.fromCookie = fromCookie;
        this.apikey = apikey;
        this.badAuthorization = badAuthorization;
    }

    public String bearer() {
        return bearer;
    }

    public boolean fromCookie() {
        return fromCookie;
    }

    public String apikey() {
        return apikey;
    }

    public String badAuthorization() {
        return badAuthorization;
    }

    @Override
    public String toString() {
        // never print tokens
        return "CallerCredentials[bearer=" + (bearer != null) + ", cookie=" + fromCookie + ", apikey=" + (apikey != null) + "]";
    }
}
