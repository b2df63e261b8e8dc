package io.slmgen.auth.rest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.slmgen.auth.AuthConfig;
import io.slmgen.auth.service.AuthService;
import io.slmgen.auth.service.MailFlows;
import io.slmgen.auth.service.PkceService;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** The seed's /auth endpoints (SPEC §4.2) on the same core: JSON in, GoTrue's bodies out (local mode). */
@Path("/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SeedAuthResource {

    private final AuthService auth;
    private final MailFlows mail;
    private final CurrentCaller caller;
    private final AuthConfig config;
    private final PkceService pkce;

    @Context
    HttpServerRequest request;

    public SeedAuthResource(AuthService auth, MailFlows mail, CurrentCaller caller, AuthConfig config, PkceService pkce) {
        this.pkce = pkce;
        this.auth = auth;
        this.mail = mail;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Path("signup")
    public Uni<Map<String, Object>> signup(AuthRequests.SeedCredentials body) {
        requireLocal();
        AuthRequests.SeedCredentials b = require(body);
        if (b.email() == null || b.email().isBlank()) {
            throw new ApiException(400, "validation_failed", "Unable to validate email address: invalid format");
        }
        Map<String, Object> data = b.data() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(b.data());
        if (b.full_name() != null) {
            data.put("full_name", b.full_name());
        }
        return auth.signup(b.email(), b.password(), null, data, Clients.of(request, config), mail.signupMail(null, null));
    }

    @POST
    @Path("login")
    public Uni<Map<String, Object>> login(AuthRequests.SeedCredentials body) {
        requireLocal();
        AuthRequests.SeedCredentials b = require(body);
        return auth.passwordGrant(b.email(), b.password(), null, Clients.of(request, config));
    }

    @POST
    @Path("logout")
    public Uni<Response> logout(@QueryParam("scope") String scope) {
        requireLocal();
        return auth.logout(caller.get(), scope).map(v -> Response.noContent().build());
    }

    @POST
    @Path("magic-link")
    public Uni<Map<String, Object>> magicLink(AuthRequests.SeedEmail body) {
        requireLocal();
        AuthRequests.SeedEmail b = require(body);
        return mail.otp(b.email(), true, null, b.redirect_to(), null);
    }

    @POST
    @Path("reset-password")
    public Uni<Map<String, Object>> resetPassword(AuthRequests.SeedEmail body) {
        requireLocal();
        AuthRequests.SeedEmail b = require(body);
        return mail.recover(b.email(), b.redirect_to(), null);
    }

    @POST
    @Path("update-password")
    public Uni<Map<String, Object>> updatePassword(AuthRequests.SeedPassword body) {
        requireLocal();
        AuthRequests.SeedPassword b = require(body);
        if (b.password() == null) {
            throw new ApiException(422, "validation_failed", "A new password is required");
        }
        return auth.updateUser(caller.get(), null, b.password(), null, Optional.empty());
    }

    /** The mail link's landing for API clients: token_hash (or token) and type → a session as JSON. */
    @GET
    @Path("callback")
    public Uni<Map<String, Object>> callback(@QueryParam("token_hash") String tokenHash, @QueryParam("token") String token,
                                             @QueryParam("type") String type, @QueryParam("code") String code,
                                             @QueryParam("code_verifier") String codeVerifier) {
        requireLocal();
        String t = tokenHash != null ? tokenHash : token;
        if (t == null || t.isBlank()) {
            if (code != null) {
                return pkce.exchange(code, codeVerifier, Clients.of(request, config));
            }
            throw new ApiException(400, "validation_failed", "token_hash and type (or code and code_verifier) are required");
        }
        return mail.verify(type, t, null, null, Clients.of(request, config));
    }

    private void requireLocal() {
        if (!"local".equals(config.mode())) {
            throw new ApiException(501, "not_implemented", "auth.mode=" + config.mode() + " is not supported by this build");
        }
    }

    private static <T> T require(T body) {
        if (body == null) {
            throw new ApiException(400, "validation_failed", "A JSON body is required");
        }
        return body;
    }
}
