package io.slmgen.auth.client;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** A hosted GoTrue (SUPABASE_URL/auth/v1), for auth.mode=supabase: the seed endpoints call it. */
@RegisterRestClient(configKey = "gotrue")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface HostedGoTrue {

    @POST
    @Path("/signup")
    Uni<Response> signup(@HeaderParam("apikey") String apikey, @HeaderParam("Authorization") String authorization,
                         @HeaderParam("X-Supabase-Api-Version") String version, Map<String, Object> body);

    @POST
    @Path("/token")
    Uni<Response> token(@HeaderParam("apikey") String apikey, @HeaderParam("Authorization") String authorization,
                        @HeaderParam("X-Supabase-Api-Version") String version, @QueryParam("grant_type") String grantType,
                        Map<String, Object> body);

    @POST
    @Path("/logout")
    Uni<Response> logout(@HeaderParam("apikey") String apikey, @HeaderParam("Authorization") String authorization,
                         @HeaderParam("X-Supabase-Api-Version") String version, @QueryParam("scope") String scope);

    @POST
    @Path("/magiclink")
    Uni<Response> magiclink(@HeaderParam("apikey") String apikey, @HeaderParam("Authorization") String authorization,
                            @HeaderParam("X-Supabase-Api-Version") String version, @QueryParam("redirect_to") String redirectTo,
                            Map<String, Object> body);

    @POST
    @Path("/recover")
    Uni<Response> recover(@HeaderParam("apikey") String apikey, @HeaderParam("Authorization") String authorization,
                          @HeaderParam("X-Supabase-Api-Version") String version, @QueryParam("redirect_to") String redirectTo,
                          Map<String, Object> body);

    @PUT
    @Path("/user")
    Uni<Response> updateUser(@HeaderParam("apikey") String apikey, @HeaderParam("Authorization") String authorization,
                             @HeaderParam("X-Supabase-Api-Version") String version, Map<String, Object> body);

    @POST
    @Path("/verify")
    Uni<Response> verify(@HeaderParam("apikey") String apikey, @HeaderParam("Authorization") String authorization,
                         @HeaderParam("X-Supabase-Api-Version") String version, Map<String, Object> body);
}
