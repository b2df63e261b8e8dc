package io.slmgen.auth.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.slmgen.auth.AuthConfig;
import io.slmgen.auth.client.HostedGoTrue;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.error.ErrorResponses;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;

/**
 * auth.mode=supabase: the seed's /auth endpoints call a hosted GoTrue and answer exactly what it
 * answered (status, body, API version header). The project's anon key authorises the calls; a signed-in
 * caller's own token is forwarded where GoTrue needs the user (logout, password change).
 */
@ApplicationScoped
public class HostedAuth {

    private final HostedGoTrue gotrue;
    private final AuthConfig config;

    public HostedAuth(@RestClient HostedGoTrue gotrue, AuthConfig config) {
        this.gotrue = gotrue;
        this.config = config;
    }

    public Uni<Response> signup(String email, String password, Map<String, Object> data, String version) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("password", password);
        body.put("data", data == null ? Map.of() : data);
        return relay(key -> gotrue.signup(key, "Bearer " + key, version, body));
    }

    public Uni<Response> login(String email, String password, String version) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("password", password);
        return relay(key -> gotrue.token(key, "Bearer " + key, version, "password", body));
    }

    public Uni<Response> logout(Caller caller, String scope, String version) {
        String bearer = userBearer(caller);
        return relay(key -> gotrue.logout(key, bearer, version, scope == null ? "global" : scope));
    }

    public Uni<Response> magicLink(String email, String redirectTo, String version) {
        return relay(key -> gotrue.magiclink(key, "Bearer " + key, version, redirectTo, Map.of("email", email == null ? "" : email)));
    }

    public Uni<Response> recover(String email, String redirectTo, String version) {
        return relay(key -> gotrue.recover(key, "Bearer " + key, version, redirectTo, Map.of("email", email == null ? "" : email)));
    }

    public Uni<Response> updatePassword(Caller caller, String password, String version) {
        String bearer = userBearer(caller);
        return relay(key -> gotrue.updateUser(key, bearer, version, Map.of("password", password == null ? "" : password)));
    }

    public Uni<Response> callback(String tokenHash, String type, String code, String codeVerifier, String version) {
        if (tokenHash != null && !tokenHash.isBlank()) {
            return relay(key -> gotrue.verify(key, "Bearer " + key, version,
                    Map.of("type", type == null ? "" : type, "token_hash", tokenHash)));
        }
        if (code != null && !code.isBlank()) {
            return relay(key -> gotrue.token(key, "Bearer " + key, version, "pkce",
                    Map.of("auth_code", code, "code_verifier", codeVerifier == null ? "" : codeVerifier)));
        }
        throw GoTrueError.VALIDATION_FAILED.exception("token_hash and type (or code and code_verifier) are required");
    }

    private static String userBearer(Caller caller) {
        if (!caller.isUser() || caller.bearer() == null) {
            throw GoTrueError.NO_AUTHORIZATION.exception();
        }
        return "Bearer " + caller.bearer();
    }

    private Uni<Response> relay(Function<String, Uni<Response>> call) {
        String key = config.supabaseAnonKey().orElseThrow(() -> ApiError.SERVICE_UNAVAILABLE.exception(
                "auth.mode=supabase needs SUPABASE_ANON_KEY"));
        return call.apply(key)
                .onFailure(WebApplicationException.class).recoverWithItem(t -> ((WebApplicationException) t).getResponse())
                .onFailure().transform(t -> t instanceof ApiException ? t
                        : ApiError.SERVICE_UNAVAILABLE.exception("the hosted auth service is unreachable"))
                .map(HostedAuth::copy);
    }

    private static Response copy(Response upstream) {
        Response.ResponseBuilder b = Response.status(upstream.getStatus());
        if (upstream.hasEntity()) {
            String body = upstream.readEntity(String.class);
            if (body != null && !body.isEmpty()) {
                b.entity(body).type(MediaType.APPLICATION_JSON_TYPE);
            }
        }
        String version = upstream.getHeaderString(ErrorResponses.API_VERSION_HEADER);
        if (version != null) {
            b.header(ErrorResponses.API_VERSION_HEADER, version);
        }
        return b.build();
    }
}
