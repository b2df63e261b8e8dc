package io.slmgen.auth;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** auth-service settings (SPEC §2, §4, §12); defaults in application.properties. */
@ConfigMapping(prefix = "auth")
public interface AuthConfig {

    /** local (our own GoTrue-compatible auth) or supabase (the seed endpoints delegate to a hosted GoTrue). */
    @WithDefault("local")
    String mode();

    /** SUPABASE_URL: the public base URL; tokens' iss is this + /auth/v1, mail links point at it. */
    @WithDefault("http://127.0.0.1:8080")
    String siteUrl();

    /** Where users land after a mail link when no (allowed) redirect_to is given (GoTrue's SITE_URL). */
    @WithDefault("http://localhost:3000")
    String redirectUrl();

    /** Further allowed redirect_to prefixes (GoTrue's URI allow list). */
    Optional<List<String>> additionalRedirectUrls();

    /** SUPABASE_ANON_KEY: authorises the calls to a hosted GoTrue in auth.mode=supabase. */
    Optional<String> supabaseAnonKey();

    /** Sign-ups are confirmed at once (as with the Supabase CLI); false sends a confirmation mail. */
    @WithDefault("true")
    boolean autoconfirm();

    @WithDefault("false")
    boolean disableSignup();

    @WithDefault("true")
    boolean anonymousUsers();

    Jwt jwt();

    Password password();

    @WithName("refresh")
    Refresh refresh();

    Otp otp();

    RateLimit rateLimit();

    Lockout lockout();

    Mail mail();

    Mailer mailer();

    External external();

    /** OAuth providers (SPEC §4.1); endpoints are configurable so tests drive a local fake provider. */
    interface External {
        /** The callback URL registered at the providers; default SUPABASE_URL/auth/v1/callback. */
        Optional<String> redirectUri();

        Github github();

        Google google();
    }

    interface Github extends Provider {
        @WithDefault("https://github.com/login/oauth/authorize")
        String authorizeUrl();

        @WithDefault("https://github.com/login/oauth/access_token")
        String tokenUrl();

        @WithDefault("https://api.github.com/user")
        String userinfoUrl();

        @WithDefault("https://api.github.com/user/emails")
        String emailsUrl();

        @WithDefault("read:user user:email")
        String scopes();
    }

    interface Google extends Provider {
        @WithDefault("https://accounts.google.com/o/oauth2/v2/auth")
        String authorizeUrl();

        @WithDefault("https://oauth2.googleapis.com/token")
        String tokenUrl();

        @WithDefault("https://openidconnect.googleapis.com/v1/userinfo")
        String userinfoUrl();

        @WithDefault("openid email profile")
        String scopes();
    }

    interface Provider {
        @WithDefault("false")
        boolean enabled();

        Optional<String> clientId();

        Optional<String> secret();
    }

    interface Jwt {
        /** Access token lifetime in seconds. */
        @WithDefault("3600")
        int expiry();

        /**
         * AUTH_JWT_KEYS: a JWKS (JSON, with private parts) of ES256/RS256 keys. When set, access tokens are
         * signed with {@link #signingKid()} (default: the first key) and every key's public part is published
         * at /.well-known/jwks.json, so a key stays verifiable after rotation until it is removed.
         */
        Optional<String> keys();

        Optional<String> signingKid();
    }

    interface Password {
        @WithDefault("6")
        int minLength();
    }

    interface Refresh {
        /** A just-rotated refresh token presented again within this interval returns the active child's session. */
        @WithDefault("10s")
        Duration reuseInterval();
    }

    interface Otp {
        /** Lifetime of mailed one-time tokens (links and codes). */
        @WithDefault("1h")
        Duration expiry();

        /**
         * AUTH_OTP_MAX_ATTEMPTS: wrong six-digit codes a one-time code survives; at this many it is deleted and
         * a new one must be requested. Not an AUTH_RATE_LIMIT_* setting: per-code limits stay on in test runs.
         */
        @WithDefault("5")
        int maxAttempts();
    }

    /** Per-account failed password sign-ins (SPEC §14); not lifted with the per-IP AUTH_RATE_LIMIT_* settings. */
    interface Lockout {
        /** AUTH_LOCKOUT_MAX_FAILED_ATTEMPTS: failed sign-ins of one address per window; then 429 until it ends. */
        @WithDefault("10")
        int maxFailedAttempts();

        /** AUTH_LOCKOUT_WINDOW. */
        @WithDefault("15m")
        Duration window();
    }

    interface Mailer {
        /**
         * GoTrue's MAILER_SECURE_EMAIL_CHANGE_ENABLED: with confirmations on, an email change of a user who has
         * an address is confirmed from both the current and the new address.
         */
        @WithDefault("true")
        boolean secureEmailChange();
    }

    interface RateLimit {
        /** Password sign-ins and sign-ups per IP per window (AUTH_RATE_LIMIT_SIGNUP_SIGNIN). */
        @WithDefault("30")
        int signInSignUps();

        /** Refresh-token grants per IP per window (AUTH_RATE_LIMIT_TOKEN_REFRESH). */
        @WithDefault("150")
        int tokenRefresh();

        /** Verifications per IP per window (AUTH_RATE_LIMIT_VERIFY). */
        @WithDefault("30")
        int verify();

        @WithDefault("5m")
        Duration window();

        /**
         * Requests that send mail (/otp, /magiclink, /recover, /resend, sign-up with confirmations, email
         * change, the seed's magic-link and reset-password) per IP per window (AUTH_RATE_LIMIT_OTP, GoTrue's
         * RATE_LIMIT_OTP).
         */
        @WithDefault("30")
        int otp();

        /** Anonymous sign-ins per IP per {@link #anonymousWindow()} (AUTH_RATE_LIMIT_ANONYMOUS_USERS). */
        @WithDefault("30")
        int anonymousUsers();

        @WithDefault("1h")
        Duration anonymousWindow();

        /** Mails per address per hour (AUTH_RATE_LIMIT_EMAIL_SENT). */
        @WithDefault("30")
        int emailSent();

        @WithDefault("1h")
        Duration emailWindow();

        /**
         * Take the client IP from X-Forwarded-For, read from the right past the trusted proxies
         * (SLMGEN_TRUSTED_PROXIES, see shared-jwt's ClientAddress); false: the socket peer only.
         */
        @WithDefault("true")
        boolean trustForwardedFor();

        /**
         * AUTH_RATE_LIMIT_EXEMPT_ADDRESSES: client addresses (CIDRs) the per-IP limits do not apply to, e.g. the
         * one address a test rig sends everything from. Per-address, per-account and per-code limits still do.
         */
        Optional<String> exemptAddresses();

        /** How often closed windows are deleted from auth.rate_limits ({@code off} disables). */
        @WithDefault("1m")
        String sweepInterval();
    }

    interface Mail {
        @WithDefault("SLMGEN <noreply@slmgen.local>")
        String from();
    }
}
