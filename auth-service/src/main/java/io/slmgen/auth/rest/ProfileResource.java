package io.slmgen.auth.rest;

import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.slmgen.auth.model.Profile;
import io.slmgen.auth.service.ProfileService;
import io.slmgen.shared.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;

/** The caller's own profile (SPEC §4.3). */
@Path("/api/profile")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProfileResource {

    @Inject
    ProfileService profiles;
    @Inject
    CurrentCaller caller;

    @GET
    @RolesAllowed("authenticated")
    public Uni<Profile> get() {
        return profiles.get(caller.get());
    }

    @PATCH
    public Uni<Profile> patch(Map<String, Object> body) {
        return profiles.patch(caller.get(), body);
    }
}
