package io.slmgen.auth.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestResponse;

import io.slmgen.auth.AuthConfig;
import io.slmgen.auth.model.GeneratedLink;
import io.slmgen.auth.model.GoTrueSession;
import io.slmgen.auth.model.GoTrueUser;
import io.slmgen.auth.model.SignUpResult;
import io.slmgen.auth.model.VerifyResult;
import io.slmgen.auth.service.AuthService;
import io.slmgen.auth.service.GoTrueError;
import io.slmgen.auth.service.MailFlows;
import io.slmgen.auth.service.OAuthService;
import io.slmgen.auth.service.PkceService;
import io.slmgen.shared.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

/** The GoTrue API at /auth/v1 as auth-js calls it (SPEC §4.1, §12). */
@Path("/auth/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class GoTrueResource {

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
    OAuthService oauth;
    @Inject
    Clients clients;

    @Context
    HttpServerRequest request;

    @POST
    @Path("signup")
    public Uni<SignUpResult> signup(@QueryParam("redirect_to") String redirectTo, AuthRequests.Signup body) {
        if (body == null) {
            // an empty or `null` body is not an anonymous sign-up (that sends `{}`), as GoTrue says
            throw GoTrueError.BAD_JSON.exception();
        }
        AuthRequests.Signup b = body;
        PkceService.Challenge ch = PkceService.challenge(b.code_challenge(), b.code_challenge_method());
        // a service (service_role key) signing up for an end client, e.g. the anonymous owner of a /slmgen
        // upload (SPEC §15), names that client's address in X-Client-IP and the per-IP limits apply to it
        return auth.signup(b.email(), b.password(), b.phone(), b.data(), clients.of(request), mail.signupMail(redirectTo, ch));
    }

    @POST
    @Path("token")
    public Uni<GoTrueSession> token(@QueryParam("grant_type") String grantType, AuthRequests.Token body) {
        AuthRequests.Token b = body == null ? new AuthRequests.Token(null, null, null, null, null, null) : body;
        String grant = grantType == null ? "" : grantType;
        return switch (grant) {
            case "password" -> auth.passwordGrant(b.email(), b.password(), b.phone(), clients.of(request));
            case "refresh_token" -> auth.refreshGrant(b.refresh_token(), clients.of(request));
            case "pkce" -> pkce.exchange(b.auth_code(), b.code_verifier(), clients.of(request));
            default -> throw GoTrueError.UNSUPPORTED_GRANT_TYPE.exception();
        };
    }

    @GET
    @Path("user")
    public Uni<GoTrueUser> user() {
        return auth.currentUser(caller.get());
    }

    @PUT
    @Path("user")
    public Uni<GoTrueUser> updateUser(@QueryParam("redirect_to") String redirectTo, AuthRequests.UserUpdate body) {
        if (body == null) {
            throw GoTrueError.VALIDATION_FAILED.exception();
        }
        if (body.phone() != null && !body.phone().isBlank()) {
            throw GoTrueError.PHONE_PROVIDER_DISABLED.exception("Phone changes are disabled");
        }
        return auth.updateUser(caller.get(), body.email(), body.password(), body.data(),
                java.util.Optional.of(mail.emailChanges(mail.redirect(redirectTo))), clients.of(request));
    }

    @POST
    @Path("logout")
    public Uni<Response> logout(@QueryParam("scope") String scope) {
        return auth.logout(caller.get(), scope).map(v -> Response.noContent().build());
    }

    @POST
    @Path("otp")
    public Uni<Map<String, Object>> otp(@QueryParam("redirect_to") String redirectTo, AuthRequests.Otp body) {
        if (body == null || (body.email() == null && body.phone() != null)) {
            throw GoTrueError.VALIDATION_FAILED.exception("An email address is required (phone sign-in is disabled)");
        }
        return mail.otp(body.email(), body.create_user(), body.data(), redirectTo,
                PkceService.challenge(body.code_challenge(), body.code_challenge_method()), clients.of(request));
    }

    @POST
    @Path("magiclink")
    public Uni<Map<String, Object>> magiclink(@QueryParam("redirect_to") String redirectTo, AuthRequests.Otp body) {
        if (body == null) {
            throw GoTrueError.VALIDATION_FAILED.exception("Password recovery requires an email");
        }
        return mail.otp(body.email(), true, body.data(), redirectTo,
                PkceService.challenge(body.code_challenge(), body.code_challenge_method()), clients.of(request));
    }

    @POST
    @Path("recover")
    public Uni<Map<String, Object>> recover(@QueryParam("redirect_to") String redirectTo, AuthRequests.Recover body) {
        if (body == null) {
            throw GoTrueError.VALIDATION_FAILED.exception("Password recovery requires an email");
        }
        return mail.recover(body.email(), redirectTo, PkceService.challenge(body.code_challenge(), body.code_challenge_method()),
                clients.of(request));
    }

    /** GoTrue's admin generate_link (service_role): the link and code a mail would carry, without mailing them. */
    @POST
    @Path("admin/generate_link")
    public Uni<GeneratedLink> generateLink(@QueryParam("redirect_to") String redirectTo, AuthRequests.GenerateLink body) {
        caller.get().requireServiceRole();
        if (body == null) {
            throw GoTrueError.VALIDATION_FAILED.exception();
        }
        // auth-js sends options.redirectTo as the query's redirect_to
        return mail.generateLink(body.type(), body.email(), body.data(), body.redirect_to() != null ? body.redirect_to() : redirectTo);
    }

    /** GoTrue's POST /resend {type: signup | email_change, email}: the confirmation mail again; always {}. */
    @POST
    @Path("resend")
    public Uni<Map<String, Object>> resend(@QueryParam("redirect_to") String redirectTo, AuthRequests.Resend body) {
        if (body == null) {
            throw GoTrueError.VALIDATION_FAILED.exception(
                    "Missing one of these types: signup, email_change, sms, phone_change");
        }
        if (body.phone() != null && !body.phone().isBlank()) {
            throw GoTrueError.PHONE_PROVIDER_DISABLED.exception();
        }
        return mail.resend(body.type(), body.email(), redirectTo,
                PkceService.challenge(body.code_challenge(), body.code_challenge_method()), clients.of(request));
    }

    @GET
    @Path("verify")
    // a browser navigates here: a redirect whatever Accept says, as GoTrue (errors stay JSON)
    @Produces({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public Uni<Response> verifyLink(@QueryParam("token") String token, @QueryParam("type") String type,
                                    @QueryParam("redirect_to") String redirectTo) {
        return mail.verifyLink(token, type, redirectTo, clients.of(request))
                .map(uri -> Response.seeOther(uri).build());
    }

    @POST
    @Path("verify")
    public Uni<VerifyResult> verify(AuthRequests.Verify body) {
        if (body == null) {
            throw GoTrueError.VALIDATION_FAILED.exception("Verify requires a verification type");
        }
        return mail.verify(body.type(), body.token_hash(), body.email(), body.token(), clients.of(request));
    }

    /** OAuth: 302 to the provider (auth-js builds this URL itself and sends the browser here). */
    @GET
    @Path("authorize")
    // a browser navigates here: a redirect whatever Accept says, as GoTrue (errors stay JSON)
    @Produces({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public Uni<Response> authorize(@QueryParam("provider") String provider, @QueryParam("redirect_to") String redirectTo,
                                   @QueryParam("scopes") String scopes, @QueryParam("code_challenge") String challenge,
                                   @QueryParam("code_challenge_method") String method) {
        return oauth.authorize(provider, redirectTo, scopes, PkceService.challenge(challenge, method))
                .map(a -> {
                    Response.ResponseBuilder r = Response.status(302).location(a.location());
                    if (a.cookieName() != null) {
                        r.cookie(stateCookie(a.cookieName(), a.cookieValue(), STATE_COOKIE_AGE, a.secureCookie()));
                    }
                    return r.build();
                });
    }

    /** The OAuth state's binding cookie lives as long as the state; only the callback path receives it. */
    private static final int STATE_COOKIE_AGE = 600;

    private static NewCookie stateCookie(String name, String value, int maxAge, boolean secure) {
        // Lax: sent on the provider's top-level redirect back to /callback, never on cross-site subrequests
        return new NewCookie.Builder(name).value(value).path("/auth/v1/callback").maxAge(maxAge).httpOnly(true)
                .secure(secure).sameSite(NewCookie.SameSite.LAX).build();
    }

    /** OAuth: the provider sends the browser back here; 303 to the app with a session, a PKCE code or an error. */
    @GET
    @Path("callback")
    // a browser navigates here: a redirect whatever Accept says, as GoTrue (errors stay JSON)
    @Produces({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public Uni<Response> callback(@QueryParam("code") String code, @QueryParam("state") String state,
                                  @QueryParam("error") String error, @QueryParam("error_description") String description) {
        return oauth.callback(code, state, error, description, clients.of(request), name -> {
                    Cookie c = request.getCookie(name);
                    return c == null ? null : c.getValue();
                })
                .map(cb -> {
                    Response.ResponseBuilder r = Response.seeOther(cb.location());
                    if (cb.clearCookie() != null) {
                        r.cookie(stateCookie(cb.clearCookie(), "", 0, false));
                    }
                    return r.build();
                });
    }

    @GET
    @Path("settings")
    public Map<String, Object> settings() {
        Map<String, Object> external = new LinkedHashMap<>();
        external.put("anonymous_users", config.anonymousUsers());
        external.put("email", true);
        external.put("phone", false);
        external.put("github", oauth.enabled("github"));
        external.put("google", oauth.enabled("google"));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("external", external);
        s.put("disable_signup", config.disableSignup());
        s.put("mailer_autoconfirm", config.autoconfirm());
        s.put("phone_autoconfirm", false);
        s.put("sms_provider", "");
        s.put("saml_enabled", false);
        return s;
    }

    @GET
    @Path("health")
    public Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("version", "slmgen-auth");
        h.put("name", "GoTrue");
        h.put("description", "GoTrue is a user registration and authentication API");
        return h;
    }

    /** Public keys only: the configured ES256/RS256 keys; HS256 (the default) is symmetric and never published. */
    @GET
    @Path(".well-known/jwks.json")
    public RestResponse<Map<String, Object>> jwks() {
        return RestResponse.ResponseBuilder.ok(Map.<String, Object>of("keys", auth.publicKeys()))
                .header("Cache-Control", "public, max-age=600").build();
    }
}
