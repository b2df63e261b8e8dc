package io.slmgen.auth.rest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
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
import io.slmgen.auth.service.HostedAuth;
import io.slmgen.auth.service.PkceService;
import io.slmgen.auth.service.GoTrueError;
import io.slmgen.shared.error.ErrorResponses;
import io.slmgen.shared.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** The seed's /auth endpoints (SPEC §4.2) on the same core: JSON in, GoTrue's bodies out (local mode). */
@Path("/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SeedAuthResource {

    @Inject
    AuthService auth;
    @Inject
    MailFlows mail;
    @Inject
    CurrentCaller caller;
    @Inject
    AuthConfig config;
    @Inject
    PkceService pkce;
    @Inject
    HostedAuth hosted;
    @Inject
    Clients clients;

    @Context
    HttpServerRequest request;

    @POST
    @Path("signup")
    public Uni<Response> signup(AuthRequests.SeedCredentials body) {
        AuthRequests.SeedCredentials b = require(body);
        if (b.email() == null || b.email().isBlank()) {
            throw GoTrueError.VALIDATION_FAILED.exception("Unable to validate email address: invalid format");
        }
        Map<String, Object> data = b.data() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(b.data());
        if (b.full_name() != null) {
            data.put("full_name", b.full_name());
        }
        if (hostedMode()) {
            return hosted.signup(b.email(), b.password(), data, version());
        }
        return ok(auth.signup(b.email(), b.password(), null, data, clients.of(request), mail.signupMail(null, null)));
    }

    @POST
    @Path("login")
    public Uni<Response> login(AuthRequests.SeedCredentials body) {
        AuthRequests.SeedCredentials b = require(body);
        if (hostedMode()) {
            return hosted.login(b.email(), b.password(), version());
        }
        return ok(auth.passwordGrant(b.email(), b.password(), null, clients.of(request)));
    }

    @POST
    @Path("logout")
    public Uni<Response> logout(@QueryParam("scope") String scope) {
        if (hostedMode()) {
            return hosted.logout(caller.get(), scope, version());
        }
        return auth.logout(caller.get(), scope).map(v -> Response.noContent().build());
    }

    @POST
    @Path("magic-link")
    public Uni<Response> magicLink(AuthRequests.SeedEmail body) {
        AuthRequests.SeedEmail b = require(body);
        if (hostedMode()) {
            return hosted.magicLink(b.email(), b.redirect_to(), version());
        }
        return ok(mail.otp(b.email(), true, null, b.redirect_to(), null, clients.of(request)));
    }

    @POST
    @Path("reset-password")
    public Uni<Response> resetPassword(AuthRequests.SeedEmail body) {
        AuthRequests.SeedEmail b = require(body);
        if (hostedMode()) {
            return hosted.recover(b.email(), b.redirect_to(), version());
        }
        return ok(mail.recover(b.email(), b.redirect_to(), null, clients.of(request)));
    }

    @POST
    @Path("update-password")
    public Uni<Response> updatePassword(AuthRequests.SeedPassword body) {
        AuthRequests.SeedPassword b = require(body);
        if (b.password() == null) {
            throw GoTrueError.VALIDATION_FAILED_UNPROCESSABLE.exception();
        }
        if (hostedMode()) {
            return hosted.updatePassword(caller.get(), b.password(), version());
        }
        return ok(auth.updateUser(caller.get(), null, b.password(), null, Optional.empty(), clients.of(request)));
    }

    /** The mail link's landing for API clients: token_hash (or token) and type → a session as JSON. */
    @GET
    @Path("callback")
    public Uni<Response> callback(@QueryParam("token_hash") String tokenHash, @QueryParam("token") String token,
                                  @QueryParam("type") String type, @QueryParam("code") String code,
                                  @QueryParam("code_verifier") String codeVerifier) {
        String t = tokenHash != null ? tokenHash : token;
        if (hostedMode()) {
            return hosted.callback(t, type, code, codeVerifier, version());
        }
        if (t == null || t.isBlank()) {
            if (code != null) {
                return ok(pkce.exchange(code, codeVerifier, clients.of(request)));
            }
            throw GoTrueError.VALIDATION_FAILED.exception(
                    "token_hash and type (or code and code_verifier) are required");
        }
        return ok(mail.verify(type, t, null, null, clients.of(request)));
    }

    private boolean hostedMode() {
        return "supabase".equals(config.mode());
    }

    private String version() {
        return request.getHeader(ErrorResponses.API_VERSION_HEADER);
    }

    private static Uni<Response> ok(Uni<?> body) {
        return body.map(b -> Response.ok(b, MediaType.APPLICATION_JSON_TYPE).build());
    }

    private static <T> T require(T body) {
        if (body == null) {
            throw GoTrueError.VALIDATION_FAILED.exception();
        }
        return body;
    }
}
