package io.slmgen.datasets.client;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.smallrye.mutiny.Uni;

/** auth-service's GoTrue API (SPEC §4), called with the service_role key only. */
@RegisterRestClient(configKey = "auth")
@Path("/auth/v1")
@Produces(MediaType.APPLICATION_JSON)
public interface AuthClient {

    /**
     * Anonymous sign-up (empty body): answers a session {access_token, user, ...}. {@code clientIp} names the end
     * client the user is made for: auth-service applies its per-IP anonymous sign-in limit to that address (it
     * honours the header from service_role callers only); over the limit it answers 429 with Retry-After.
     */
    @POST
    @Path("signup")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Session> signup(Map<String, Object> body, @HeaderParam("Authorization") String authorization,
                        @HeaderParam("apikey") String apikey, @HeaderParam("X-Client-IP") String clientIp);

    /** The part of GoTrue's session answer this service reads; the rest is ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Session(String accessToken) {
    }

    @DELETE
    @Path("admin/users/{id}")
    Uni<Void> deleteUser(@PathParam("id") String id, @HeaderParam("Authorization") String authorization,
                         @HeaderParam("apikey") String apikey);
}
