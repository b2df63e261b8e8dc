package io.slmgen.datasets.rest;

import java.util.Map;
import java.util.TreeSet;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;
import io.slmgen.shared.identity.CurrentCaller;

/** Test-only: what Quarkus Security and MicroProfile JWT injection see of the request's caller. */
@Path("/api/test-identity")
public class IdentityProbeResource {

    @Inject
    SecurityIdentity identity;

    @Inject
    JsonWebToken jwt;

    @Inject
    CurrentCaller caller;

    @GET
    public Map<String, Object> whoami() {
        return Map.of(
                "principal", identity.getPrincipal().getName(),
                "roles", new TreeSet<>(identity.getRoles()),
                "jwt_name", String.valueOf(jwt.getName()),
                "jwt_role", String.valueOf((Object) jwt.getClaim("role")),
                "caller_role", caller.get().role());
    }

    @GET
    @Path("user")
    @RolesAllowed("authenticated")
    public Map<String, Object> user() {
        return Map.of("sub", jwt.getSubject());
    }
}
