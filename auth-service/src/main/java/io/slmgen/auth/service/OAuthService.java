package io.slmgen.auth.service;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;

import io.slmgen.auth.AuthConfig;
import io.slmgen.auth.model.User;
import io.slmgen.auth.repository.UserRepository;
import io.slmgen.auth.token.AccessTokens;
import io.slmgen.auth.token.Secrets;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * OAuth2 sign-in with GitHub and Google (SPEC §4.1): /authorize redirects to the provider with a signed,
 * expiring state; /callback exchanges the code, reads the provider's user, links or creates the user
 * (auth.identities) and redirects with a session in the fragment, or with ?code= under PKCE.
 */
@ApplicationScoped
public class OAuthService {

    private static final Logger LOG = Logger.getLogger(OAuthService.class);
    private static final String STATE_AUDIENCE = "oauth_state";
    private static final Duration STATE_TTL = Duration.ofMinutes(10);

    /** The provider's user, reduced to what GoTrue keeps. */
    record ProviderUser(String id, String email, boolean emailVerified, JsonObject identityData) {
    }

    record Provider(String name, String authorizeUrl, String tokenUrl, String userinfoUrl, String emailsUrl, String scopes,
                    String clientId, String secret) {
    }

    /**
     * Where /authorize sends the browser, and for the implicit flow the cookie that binds the state to that
     * browser (SPEC §14): {@code cookieName=cookieValue}, readable only by us, for the callback path.
     */
    public record Authorization(URI location, String cookieName, String cookieValue, boolean secureCookie) {
    }

    /** Where /callback sends the browser, and the state cookie to clear (null when none). */
    public record Callback(URI location, String clearCookie) {
    }

    /** The user an external identity signs in as, or the refusal to commit with what was done (a mail sent). */
    private record Linked(User user, ApiException refusal) {
    }

    /** The binding cookies' names: one per flow, so two tabs signing in at once do not overwrite each other. */
    public static final String STATE_COOKIE_PREFIX = "slmgen-oauth-";

    private final CallerTransactions tx;
    private final UserRepository users;
    private final AuthService auth;
    private final PkceService pkce;
    private final MailFlows mail;
    private final AuthConfig config;
    private final HmacKey stateKey;
    private final AccessTokens stateSigner;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public OAuthService(CallerTransactions tx, UserRepository users, AuthService auth, PkceService pkce, MailFlows mail,
                        AuthConfig config, @ConfigProperty(name = "slmgen.jwt.secret") String secret) {
        this.tx = tx;
        this.users = users;
        this.auth = auth;
        this.pkce = pkce;
        this.mail = mail;
        this.config = config;
        this.stateKey = new HmacKey(secret.getBytes(StandardCharsets.UTF_8));
        this.stateSigner = new AccessTokens(secret, "oauth");
    }

    public boolean enabled(String name) {
        return provider(name).isPresent();
    }

    /**
     * GET /authorize: the provider's authorize URL to redirect to. The state is signed and expires; in the
     * implicit flow it also carries the hash of a random value set as a cookie in this browser, and the callback
     * only completes in the browser holding it: a callback URL made in another browser (an attacker's own
     * provider code and state, to sign the victim in to the attacker's account) is refused. Under PKCE the
     * code verifier binds the flow to the client already.
     */
    public Uni<Authorization> authorize(String providerName, String redirectTo, String scopes, PkceService.Challenge ch) {
        Provider p = provider(providerName).orElseThrow(() -> GoTrueError.VALIDATION_FAILED.exception(
                "Unsupported provider: provider is not enabled"));
        String redirect = mail.redirect(redirectTo);
        Uni<UUID> flow = ch == null ? Uni.createFrom().nullItem()
                : tx.runAsService(c -> pkce.create(c, null, ch, p.name(), "oauth"));
        return flow.map(flowId -> {
            Map<String, Object> claims = new LinkedHashMap<>();
            long now = Instant.now().getEpochSecond();
            claims.put("aud", STATE_AUDIENCE);
            claims.put("exp", now + STATE_TTL.toSeconds());
            claims.put("iat", now);
            claims.put("provider", p.name());
            claims.put("redirect_to", redirect);
            claims.put("nonce", UUID.randomUUID().toString());
            String cookieName = null;
            String cookieValue = null;
            if (flowId != null) {
                claims.put("flow_state_id", flowId.toString());
            } else {
                cookieName = STATE_COOKIE_PREFIX + Secrets.linkToken().substring(0, 16).replace('-', 'x').replace('_', 'y');
                cookieValue = Secrets.linkToken();
                claims.put("browser", cookieName);
                claims.put("browser_hash", Secrets.sha256(cookieValue));
            }
            String scope = scopes == null || scopes.isBlank() ? p.scopes() : p.scopes() + " " + scopes;
            URI location = URI.create(p.authorizeUrl() + (p.authorizeUrl().contains("?") ? "&" : "?")
                    + "client_id=" + enc(p.clientId()) + "&redirect_uri=" + enc(callbackUri())
                    + "&response_type=code&scope=" + enc(scope) + "&state=" + enc(stateSigner.sign(claims)));
            return new Authorization(location, cookieName, cookieValue, callbackUri().startsWith("https:"));
        });
    }

    /**
     * GET /callback: a redirect (303) to the app, carrying the session, a PKCE code or an error; {@code cookies}
     * reads this browser's cookies by name. A state that is forged, expired, or (implicit flow) not bound to
     * this browser is refused with 400 before the provider's code is used.
     */
    public Uni<Callback> callback(String code, String state, String error, String errorDescription, ClientInfo client,
                                  Function<String, String> cookies) {
        JwtClaims st = verifyState(state);
        String redirect;
        String providerName;
        String flowId;
        String browser;
        String browserHash;
        try {
            redirect = st.getStringClaimValue("redirect_to");
            providerName = st.getStringClaimValue("provider");
            flowId = st.getStringClaimValue("flow_state_id");
            browser = st.getStringClaimValue("browser");
            browserHash = st.getStringClaimValue("browser_hash");
        } catch (Exception e) {
            throw badState();
        }
        boolean pkceFlow = flowId != null;
        if (!pkceFlow) {
            String held = browser == null || !browser.startsWith(STATE_COOKIE_PREFIX) ? null : cookies.apply(browser);
            if (held == null || browserHash == null || !Secrets.same(Secrets.sha256(held), browserHash)) {
                throw GoTrueError.BAD_OAUTH_STATE.exception(
                        "OAuth state does not belong to this browser: start the sign-in again from the app");
            }
        }
        return completeCallback(p(providerName), code, error, errorDescription, client, redirect, pkceFlow, flowId)
                .map(uri -> new Callback(uri, pkceFlow ? null : browser));
    }

    private Provider p(String providerName) {
        return provider(providerName).orElseThrow(OAuthService::badState);
    }

    private Uni<URI> completeCallback(Provider p, String code, String error, String errorDescription, ClientInfo client,
                                      String redirect, boolean pkceFlow, String flowId) {
        if (error != null) {
            return Uni.createFrom().item(errorRedirect(redirect, pkceFlow, error, errorDescription == null ? error : errorDescription));
        }
        if (code == null || code.isBlank()) {
            return Uni.createFrom().item(errorRedirect(redirect, pkceFlow, "invalid_request", "OAuth callback with missing authorization code"));
        }
        return exchange(p, code)
                .chain(tokens -> fetchUser(p, tokens.getString("access_token"))
                        .chain(pu -> tx.runAsService(c -> linkOrCreate(c, p.name(), pu, redirect).chain(linked -> {
                            if (linked.refusal() != null) {
                                // committed with what was done (the new user, its confirmation mail)
                                ApiException e = linked.refusal();
                                return Uni.createFrom().item(errorRedirect(redirect, pkceFlow, "access_denied", e.getMessage(), e.code()));
                            }
                            User user = linked.user();
                            return pkceFlow
                                ? pkce.issueCode(c, UUID.fromString(flowId), user.id(), tokens.getString("access_token"),
                                        tokens.getString("refresh_token")).map(authCode -> withQuery(redirect, "code=" + enc(authCode)))
                                : auth.newSession(c, user.id(), "oauth", client).map(s -> URI.create(redirect
                                        + "#access_token=" + s.accessToken() + "&expires_at=" + s.expiresAt()
                                        + "&expires_in=" + s.expiresIn() + "&provider_token=" + enc(tokens.getString("access_token"))
                                        + (tokens.getString("refresh_token") == null ? ""
                                                : "&provider_refresh_token=" + enc(tokens.getString("refresh_token")))
                                        + "&refresh_token=" + s.refreshToken() + "&token_type=bearer"));
                        }))))
                .onFailure().recoverWithItem(t -> {
                    if (t instanceof ApiException e && e.status() < 500) {
                        return errorRedirect(redirect, pkceFlow, "access_denied", e.getMessage(), e.code());
                    }
                    LOG.warnf("OAuth callback for %s failed: %s", p.name(), t.toString());
                    return errorRedirect(redirect, pkceFlow, "server_error", "Unable to exchange external code");
                });
    }

    /**
     * GoTrue's account linking (createAccountFromExternalIdentity), SPEC §14. A known identity signs its user
     * in. A new identity links to the account with the same address only when the provider verified that
     * address; an unverified one never links (refused). New users are created with the identity. Then, as
     * GoTrue, an account whose address is not confirmed is settled: with an address the provider verified (or
     * confirmations off) the identity takes the account over - what its unconfirmed owner set up (password,
     * other identities, metadata, sessions, mailed links) is dropped, so pre-registering someone else's address
     * gains nothing - and it is confirmed; otherwise a confirmation is mailed and the sign-in refused until it is
     * followed.
     */
    private Uni<Linked> linkOrCreate(SqlConnection c, String provider, ProviderUser pu, String redirect) {
        boolean trusted = pu.emailVerified() || config.autoconfirm();
        return users.findByIdentity(c, provider, pu.id()).chain(linked -> {
            if (linked.isPresent()) {
                User u = banCheck(linked.get());
                return users.insertIdentity(c, u.id(), provider, pu.id(), pu.identityData())
                        .chain(() -> settle(c, u, provider, pu, trusted, redirect));
            }
            if (pu.email() == null) {
                throw GoTrueError.PROVIDER_EMAIL_NEEDS_VERIFICATION.exception();
            }
            String email = AuthService.email(pu.email());
            return users.findByEmail(c, email).chain(byEmail -> {
                if (byEmail.isPresent()) {
                    if (!pu.emailVerified()) {
                        throw GoTrueError.PROVIDER_EMAIL_NEEDS_VERIFICATION.exception(
                                "Unverified email with " + provider + ": cannot link to an existing account");
                    }
                    User u = banCheck(byEmail.get());
                    return users.insertIdentity(c, u.id(), provider, pu.id(), pu.identityData())
                            .chain(() -> users.addProvider(c, u.id(), provider))
                            .chain(() -> settle(c, u, provider, pu, true, redirect));
                }
                if (config.disableSignup()) {
                    throw GoTrueError.SIGNUP_DISABLED.exception();
                }
                UUID id = UUID.randomUUID();
                JsonObject app = new JsonObject().put("provider", provider).put("providers", new JsonArray().add(provider));
                return users.insert(c, id, email, null, pu.identityData().copy(), app, trusted, false, false, null)
                        .chain(() -> users.insertIdentity(c, id, provider, pu.id(), pu.identityData()))
                        .chain(() -> users.findById(c, id))
                        .chain(u -> settle(c, u.orElseThrow(), provider, pu, trusted, redirect));
            });
        });
    }

    private Uni<Linked> settle(SqlConnection c, User u, String provider, ProviderUser pu, boolean trusted, String redirect) {
        if (u.emailConfirmed()) {
            return Uni.createFrom().item(new Linked(u, null));
        }
        if (!trusted) {
            return mail.confirmations(redirect, null).confirm(c, u, u.email())
                    .map(v -> new Linked(null, GoTrueError.PROVIDER_EMAIL_CONFIRMATION_SENT.exception(
                            "Unverified email with " + provider + ". A confirmation email has been sent to your "
                                    + provider + " email")));
        }
        return auth.endSessionsAndOneTimeTokens(c, u.id(), null)
                .chain(() -> users.dropUnconfirmedCredentials(c, u.id(), provider, pu.id(), pu.identityData()))
                .chain(() -> users.confirmEmail(c, u.id()))
                .chain(() -> users.findById(c, u.id())).map(x -> new Linked(x.orElseThrow(), null));
    }

    private static User banCheck(User u) {
        if (u.isBanned()) {
            throw GoTrueError.USER_BANNED.exception();
        }
        return u;
    }

    private Uni<JsonObject> exchange(Provider p, String code) {
        String form = "grant_type=authorization_code&code=" + enc(code) + "&redirect_uri=" + enc(callbackUri())
                + "&client_id=" + enc(p.clientId()) + "&client_secret=" + enc(p.secret());
        HttpRequest req = HttpRequest.newBuilder(URI.create(p.tokenUrl())).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return send(req).map(body -> {
            JsonObject o = new JsonObject(body);
            if (o.getString("access_token") == null) {
                throw GoTrueError.BAD_OAUTH_CALLBACK.exception("The provider did not issue an access token");
            }
            return o;
        });
    }

    private Uni<ProviderUser> fetchUser(Provider p, String accessToken) {
        return get(p.userinfoUrl(), accessToken).chain(body -> {
            JsonObject u = new JsonObject(body);
            if (p.name().equals("google")) {
                String sub = u.getString("sub");
                if (sub == null) {
                    throw GoTrueError.BAD_OAUTH_CALLBACK.exception();
                }
                boolean verified = Boolean.TRUE.equals(u.getValue("email_verified")) || "true".equals(String.valueOf(u.getValue("email_verified")));
                JsonObject data = identity("https://accounts.google.com", sub, u.getString("name"), u.getString("email"), verified,
                        u.getString("picture"));
                return Uni.createFrom().item(new ProviderUser(sub, u.getString("email"), verified, data));
            }
            Object rawId = u.getValue("id");
            if (rawId == null) {
                throw GoTrueError.BAD_OAUTH_CALLBACK.exception();
            }
            String id = String.valueOf(rawId);
            String name = u.getString("name") != null ? u.getString("name") : u.getString("login");
            return get(p.emailsUrl(), accessToken).map(emailsBody -> {
                String email = null;
                boolean verified = false;
                JsonArray emails = new JsonArray(emailsBody);
                for (int i = 0; i < emails.size(); i++) {
                    JsonObject e = emails.getJsonObject(i);
                    if (Boolean.TRUE.equals(e.getBoolean("primary"))) {
                        email = e.getString("email");
                        verified = Boolean.TRUE.equals(e.getBoolean("verified"));
                    }
                }
                if (email == null) {
                    email = u.getString("email");
                }
                JsonObject data = identity("https://api.github.com", id, name, email, verified, u.getString("avatar_url"))
                        .put("user_name", u.getString("login")).put("preferred_username", u.getString("login"));
                return new ProviderUser(id, email, verified, data);
            });
        });
    }

    private static JsonObject identity(String iss, String sub, String name, String email, boolean verified, String avatar) {
        JsonObject d = new JsonObject().put("iss", iss).put("sub", sub).put("provider_id", sub)
                .put("email", email).put("email_verified", verified).put("phone_verified", false);
        if (name != null) {
            d.put("name", name).put("full_name", name);
        }
        if (avatar != null) {
            d.put("avatar_url", avatar).put("picture", avatar);
        }
        return d;
    }

    private Uni<String> get(String url, String accessToken) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + accessToken).header("Accept", "application/json")
                .header("User-Agent", "slmgen-auth").GET().build());
    }

    private Uni<String> send(HttpRequest req) {
        return Uni.createFrom().completionStage(() -> http.sendAsync(req, HttpResponse.BodyHandlers.ofString()))
                .map(res -> {
                    if (res.statusCode() / 100 != 2) {
                        throw GoTrueError.BAD_OAUTH_CALLBACK.exception("The provider answered " + res.statusCode());
                    }
                    return res.body();
                });
    }

    private JwtClaims verifyState(String state) {
        if (state == null || state.isBlank() || state.length() > 4096) {
            throw badState();
        }
        try {
            return new JwtConsumerBuilder().setVerificationKey(stateKey).setRelaxVerificationKeyValidation()
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256)
                    .setExpectedAudience(STATE_AUDIENCE).setRequireExpirationTime().build().processToClaims(state);
        } catch (Exception e) {
            throw badState();
        }
    }

    private static ApiException badState() {
        return GoTrueError.BAD_OAUTH_STATE.exception();
    }

    private URI errorRedirect(String redirect, boolean query, String error, String description) {
        return errorRedirect(redirect, query, error, description, null);
    }

    private URI errorRedirect(String redirect, boolean query, String error, String description, String code) {
        String params = "error=" + enc(error) + (code == null ? "" : "&error_code=" + enc(code))
                + "&error_description=" + enc(description);
        return query ? withQuery(redirect, params) : URI.create(redirect + "#" + params);
    }

    private static URI withQuery(String redirect, String params) {
        return URI.create(redirect + (redirect.contains("?") ? "&" : "?") + params);
    }

    String callbackUri() {
        return config.external().redirectUri().orElse(MailService.trimSlash(config.siteUrl()) + "/auth/v1/callback");
    }

    Optional<Provider> provider(String name) {
        if ("github".equals(name)) {
            AuthConfig.Github g = config.external().github();
            return g.enabled() && g.clientId().isPresent()
                    ? Optional.of(new Provider("github", g.authorizeUrl(), g.tokenUrl(), g.userinfoUrl(), g.emailsUrl(),
                            g.scopes(), g.clientId().get(), g.secret().orElse("")))
                    : Optional.empty();
        }
        if ("google".equals(name)) {
            AuthConfig.Google g = config.external().google();
            return g.enabled() && g.clientId().isPresent()
                    ? Optional.of(new Provider("google", g.authorizeUrl(), g.tokenUrl(), g.userinfoUrl(), null,
                            g.scopes(), g.clientId().get(), g.secret().orElse("")))
                    : Optional.empty();
        }
        return Optional.empty();
    }

    List<String> names() {
        return List.of("github", "google");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
