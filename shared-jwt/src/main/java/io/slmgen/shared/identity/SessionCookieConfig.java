package io.slmgen.shared.identity;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** @supabase/ssr cookie sessions on /slmgen/* (SPEC §15); see {@link SessionCookies}. */
@ConfigMapping(prefix = "slmgen.session-cookie")
public interface SessionCookieConfig {

    /** SLMGEN_SESSION_COOKIES: false ignores session cookies (only Authorization identifies a caller). */
    @WithDefault("true")
    boolean enabled();

    /**
     * SLMGEN_SESSION_COOKIE_NAME: the cookie's name when the app set its own storage key
     * ({@code cookieOptions.name}); default {@code sb-<first label of SUPABASE_URL's host>-auth-token}.
     */
    Optional<String> name();

    /**
     * SLMGEN_ALLOWED_ORIGINS (default FRONTEND_ORIGIN): comma-separated origins of the web app besides the
     * gateway's own (SUPABASE_URL), from which a cookie session is honoured; {@code *} counts for nothing.
     */
    Optional<List<String>> allowedOrigins();
}
