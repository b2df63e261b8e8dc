package io.slmgen.shared.db;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * How long one SQL statement may run for each role (SPEC §3): Supabase's values, anon 3 s and
 * authenticated 8 s, so an expensive filter or a lock wait from a user's request is cancelled by
 * PostgreSQL instead of holding a pooled connection. PostgREST applies the statement_timeout that the
 * impersonated role carries ({@code ALTER ROLE anon SET statement_timeout = '3s'}, as on hosted
 * Supabase); {@code SET LOCAL ROLE} does not apply a role's settings, so {@link CallerTransactions}
 * sets the configured value for the transaction itself. We configure rather than read the roles'
 * settings: the same values hold locally (where the roles are ours) and against a hosted project, and
 * an operator changes them with one variable. A cancelled statement answers 504 (SQLSTATE 57014).
 */
@ConfigMapping(prefix = "slmgen.db.statement-timeout")
public interface StatementTimeouts {

    /** SLMGEN_STATEMENT_TIMEOUT_ANON; 0 turns it off. */
    @WithDefault("3s")
    Duration anon();

    /** SLMGEN_STATEMENT_TIMEOUT_AUTHENTICATED; 0 turns it off. */
    @WithDefault("8s")
    Duration authenticated();

    /**
     * SLMGEN_STATEMENT_TIMEOUT_SERVICE_ROLE: none by default (the database's own setting holds), as
     * Supabase's service_role has none; sweepers and admin calls run as service_role.
     */
    @WithName("service-role")
    Optional<Duration> serviceRole();

    /** The value for {@code set_config('statement_timeout', …)} for {@code role}, or empty to leave it. */
    default Optional<String> forRole(String role) {
        Optional<Duration> d = switch (role) {
            case "anon" -> Optional.of(anon());
            case "authenticated" -> Optional.of(authenticated());
            case "service_role" -> serviceRole();
            default -> Optional.empty();
        };
        return d.map(v -> Long.toString(Math.max(0, v.toMillis())));
    }
}
