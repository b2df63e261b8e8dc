package io.slmgen.shared.identity;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The principal of a request's {@code SecurityIdentity} (SPEC §3): the claims of the token that decided
 * the caller's role, as MicroProfile JWT's {@link JsonWebToken} (inject it, or read
 * {@code SecurityIdentity.getPrincipal()}), backed by the claims {@link io.slmgen.shared.jwt.JwtVerifier}
 * already parsed - building it costs no parsing, so a token answered from the verified-token cache stays
 * a map look-up.
 *
 * <p>Claim values are as in {@link Caller#claims()} (JSON numbers as Long/Double, arrays as lists, objects
 * as maps), except {@code aud} and {@code groups}, which are string sets as MicroProfile JWT defines them;
 * {@code groups} is the one role. The caller without credentials (anon) has the claims {@code {"role":"anon"}}
 * and no raw token.
 */
public final class CallerJsonWebToken implements JsonWebToken {

    private final Caller caller;

    public CallerJsonWebToken(Caller caller) {
        this.caller = caller;
    }

    /** The user's id for a user's token; the role ({@code anon}, {@code service_role}) for an API key. */
    @Override
    public String getName() {
        return caller.userId() != null ? caller.userId().toString() : caller.role();
    }

    @Override
    public Set<String> getClaimNames() {
        Set<String> names = new LinkedHashSet<>(claims().keySet());
        names.add(Claims.groups.name());
        if (caller.bearer() != null) {
            names.add(Claims.raw_token.name());
        }
        return names;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getClaim(String claimName) {
        if (Claims.raw_token.name().equals(claimName)) {
            return (T) caller.bearer();
        }
        if (Claims.groups.name().equals(claimName)) {
            return (T) getGroups();
        }
        if (Claims.aud.name().equals(claimName)) {
            return (T) getAudience();
        }
        return (T) claims().get(claimName);
    }

    @Override
    public Set<String> getGroups() {
        return Set.of(caller.role());
    }

    /** Supabase signs {@code aud} as one string ("authenticated"); MicroProfile JWT wants a set. */
    @Override
    public Set<String> getAudience() {
        Object aud = claims().get(Claims.aud.name());
        if (aud instanceof String s) {
            return Set.of(s);
        }
        if (aud instanceof Collection<?> c) {
            Set<String> out = new LinkedHashSet<>();
            c.forEach(a -> out.add(String.valueOf(a)));
            return out;
        }
        return null;
    }

    /** The caller this token stands for. */
    public Caller caller() {
        return caller;
    }

    private Map<String, Object> claims() {
        Map<String, Object> claims = caller.claims();
        return claims == null || claims.isEmpty() ? Map.of("role", caller.role()) : claims;
    }

    @Override
    public String toString() {
        // never print tokens
        return "CallerJsonWebToken[role=" + caller.role() + ", user=" + caller.userId() + "]";
    }
}
