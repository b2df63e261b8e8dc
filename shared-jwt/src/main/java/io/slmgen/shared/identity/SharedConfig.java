package io.slmgen.shared.identity;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings every service shares (defaults in shared-jwt's microprofile-config.properties). */
@ConfigMapping(prefix = "slmgen")
public interface SharedConfig {

    Jwt jwt();

    /** SUPABASE_URL: the public base URL (gateway or hosted Supabase); the token issuer is it + /auth/v1. */
    @WithDefault("http://127.0.0.1:8080")
    String publicUrl();

    /**
     * SUPABASE_SERVICE_KEY: the service_role API key for calls a service makes on its own behalf
     * ({@link ActingCallers#serviceRoleKey()}); minted with the secret when unset.
     */
    Optional<String> serviceKey();

    /** SUPABASE_ANON_KEY: the anon API key sent beside minted user tokens; minted with the secret when unset. */
    Optional<String> anonKey();

    interface Jwt {
        /** SUPABASE_JWT_SECRET: HS256 tokens, API keys and storage signed URLs. */
        Optional<String> secret();

        /** SUPABASE_JWKS_URL: public keys for ES256/RS256 tokens. */
        Optional<URI> jwksUrl();

        /**
         * SLMGEN_ALLOW_DEMO_SECRET: start with a public example, short or missing secret (a local suite
         * only), with a warning. See {@link io.slmgen.shared.jwt.SecretPolicy}.
         */
        @WithDefault("false")
        boolean allowDemoSecret();

        /**
         * Set by a service that signs with SUPABASE_JWT_SECRET itself (what it signs, for the start-up
         * message): such a service refuses to start with SUPABASE_JWKS_URL alone.
         */
        Optional<String> secretRequiredFor();

        @WithDefault("30s")
        Duration leeway();

        @WithDefault("30s")
        Duration jwksMinRefresh();

        @WithDefault("10m")
        Duration jwksMaxAge();

        @WithDefault("8192")
        int maxTokenLength();

        /**
         * How long a verified token is answered from memory without being parsed and verified again
         * (never past its exp; exp/nbf are re-checked on every hit). 0 disables the cache.
         */
        @WithDefault("5m")
        Duration cacheTtl();

        /**
         * At most this many verified tokens are remembered. Each costs ≈ 4.5 KB of heap with GoTrue-shaped
         * claims (token string + claims map + claims JSON, measured), so 4,096 ≈ 18 MB when full (a tenth of the services' 256 MB heap). 0
         * disables the cache.
         */
        @WithDefault("4096")
        int cacheSize();
    }
}
