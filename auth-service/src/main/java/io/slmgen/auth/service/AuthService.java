package io.slmgen.auth.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.slmgen.auth.AuthConfig;
import io.slmgen.auth.model.GoTrueSession;
import io.slmgen.auth.model.GoTrueUser;
import io.slmgen.auth.model.Json;
import io.slmgen.auth.model.SignUpResult;
import io.slmgen.auth.model.User;
import io.slmgen.auth.repository.FlowStateRepository;
import io.slmgen.auth.repository.TokenRepository;
import io.slmgen.auth.repository.TokenRepository.RefreshToken;
import io.slmgen.auth.repository.UserRepository;
import io.slmgen.auth.token.AccessTokens;
import io.slmgen.auth.token.Passwords;
import io.slmgen.auth.token.Secrets;
import io.slmgen.auth.token.SigningKeys;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The GoTrue core (SPEC §4.1): users, sessions, refresh rotation, sign-out. auth.* are this service's
 * own tables, so the work runs as service_role; the seed's trigger creates the profile on insert.
 */
@ApplicationScoped
public class AuthService {

    /** GoTrue's address rule: a dot-atom local part and a hostname (no unicode, no spaces). */
    private static final Pattern EMAIL = Pattern.compile(
            "^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$");

    final CallerTransactions tx;
    final UserRepository users;
    final TokenRepository tokens;
    final AuthConfig config;
    final RateLimiter limiter;
    final FlowStateRepository flows;
    final AccessTokens accessTokens;
    final SigningKeys signingKeys;

    public AuthService(CallerTransactions tx, UserRepository users, TokenRepository tokens, FlowStateRepository flows,
                       AuthConfig config, RateLimiter limiter, @ConfigProperty(name = "slmgen.jwt.secret") String secret) {
        this.tx = tx;
        this.users = users;
        this.tokens = tokens;
        this.flows = flows;
        this.config = config;
        this.limiter = limiter;
        this.signingKeys = config.jwt().keys().filter(k -> !k.isBlank())
                .map(k -> SigningKeys.parse(k, config.jwt().signingKid())).orElse(SigningKeys.none());
        this.accessTokens = new AccessTokens(secret, MailService.trimSlash(config.siteUrl()) + "/auth/v1",
                signingKeys.signer().orElse(null));
    }

    /** The public signing keys for /.well-known/jwks.json (empty with HS256 only). */
    public List<Map<String, Object>> publicKeys() {
        return signingKeys.publicKeys();
    }

    // ---- sign-up and sign-in ----

    /** POST /signup: email+password, or nothing (anonymous sign-in). */
    public Uni<SignUpResult> signup(String emailIn, String password, String phone, Map<String, Object> data,
                                           ClientInfo client, Optional<MailSender> mail) {
        boolean anonymousSignIn = emailIn == null && (password == null || password.isEmpty())
                && (phone == null || phone.isBlank());
        RateLimiter.Limits l = limiter.limits();
        // as GoTrue: an anonymous sign-in counts against RATE_LIMIT_ANONYMOUS_USERS only; a sign-up against the
        // sign-in/sign-up limit, and, when it mails a confirmation, against the mail-sending limit too
        Uni<Void> limited = anonymousSignIn ? limiter.perIp(l.anonymous(), client)
                : limiter.perIp(l.signIn(), client).chain(() -> mail.isPresent()
                        ? limiter.perIp(l.mail(), client) : Uni.createFrom().voidItem());
        return limited.chain(() -> signupWithinLimits(emailIn, password, phone, data, client, mail));
    }

    private Uni<SignUpResult> signupWithinLimits(String emailIn, String password, String phone,
                                                        Map<String, Object> data, ClientInfo client,
                                                        Optional<MailSender> mail) {
        if (config.disableSignup()) {
            throw GoTrueError.SIGNUP_DISABLED.exception();
        }
        if (phone != null && !phone.isBlank()) {
            throw GoTrueError.PHONE_PROVIDER_DISABLED.exception("Phone signups are disabled");
        }
        JsonObject meta = new JsonObject(new LinkedHashMap<>(data == null ? Map.of() : data));
        if (emailIn == null) {
            if (password != null && !password.isEmpty()) {
                throw GoTrueError.VALIDATION_FAILED.exception("To sign up, please provide your email");
            }
            return anonymous(meta, client);
        }
        String email = email(emailIn);
        checkPassword(password);
        boolean confirmed = config.autoconfirm();
        UUID id = UUID.randomUUID();
        return cpu(() -> Passwords.hash(password)).chain(hash -> tx.runAsService(c -> users.findByEmail(c, email)
                .chain(existing -> {
                    if (existing.isPresent()) {
                        if (confirmed || existing.get().emailConfirmed()) {
                            throw GoTrueError.USER_ALREADY_EXISTS.exception();
                        }
                        // unconfirmed: send the confirmation again (GoTrue's answer hides the difference)
                        return mail.map(m -> m.confirm(c, existing.get(), email)).orElse(Uni.createFrom().voidItem())
                                .chain(() -> users.findById(c, existing.get().id()))
                                .map(u -> (SignUpResult) GoTrueUser.of(u.orElseThrow()));
                    }
                    JsonObject app = new JsonObject().put("provider", "email").put("providers", new JsonArray().add("email"));
                    return users.insert(c, id, email, hash, meta, app, confirmed, false, false, null)
                            .chain(() -> users.insertIdentity(c, id, "email", id.toString(), new JsonObject()
                                    .put("sub", id.toString()).put("email", email)
                                    .put("email_verified", confirmed).put("phone_verified", false)))
                            .chain(() -> confirmed
                                    ? newSession(c, id, "password", client).map(s -> (SignUpResult) s)
                                    : mail.map(m -> m.confirm(c, null, email)).orElse(Uni.createFrom().voidItem())
                                            .chain(() -> users.findById(c, id)).map(u -> (SignUpResult) GoTrueUser.of(u.orElseThrow())));
                })));
    }

    /** What sends the confirmation mail inside the sign-up transaction (MailFlows implements it). */
    public interface MailSender {
        Uni<Void> confirm(SqlConnection c, User existing, String email);
    }

    private Uni<SignUpResult> anonymous(JsonObject meta, ClientInfo client) {
        if (!config.anonymousUsers()) {
            throw GoTrueError.ANONYMOUS_PROVIDER_DISABLED.exception();
        }
        UUID id = UUID.randomUUID();
        return tx.runAsService(c -> users.insert(c, id, null, null, meta, new JsonObject(), false, true, false, null)
                .chain(() -> newSession(c, id, "anonymous", client))).map(s -> (SignUpResult) s);
    }

    /**
     * POST /token?grant_type=password. Besides the per-IP limit, each address has a window of attempts
     * (SPEC §14): every attempt is counted before the password is checked, a good password clears the count,
     * and over the limit the answer is 429 without a check. Addresses without an account are counted the same
     * way and a missing account costs one bcrypt check too, so neither the answers nor their timing tell
     * whether an account exists.
     */
    public Uni<GoTrueSession> passwordGrant(String emailIn, String password, String phone, ClientInfo client) {
        return limiter.perIp(limiter.limits().signIn(), client).chain(() -> {
            if ((emailIn == null || emailIn.isBlank()) && phone != null && !phone.isBlank()) {
                throw GoTrueError.PHONE_PROVIDER_DISABLED.exception();
            }
            if (emailIn == null || emailIn.isBlank() || password == null || password.isEmpty()) {
                throw GoTrueError.VALIDATION_FAILED.exception("A valid email and password are required");
            }
            String email = emailIn.strip().toLowerCase();
            RateLimiter.Limit attempts = limiter.limits().failedSignIns();
            return limiter.hit(attempts, email)
                    .chain(() -> tx.inSessionAsService(() -> users.findByEmail(email)))
                    .chain(found -> cpu(() -> Passwords.matches(password, found.map(User::passwordHash).orElse(null)))
                            .chain(ok -> {
                                if (!ok || found.isEmpty()) {
                                    throw GoTrueError.INVALID_CREDENTIALS.exception();
                                }
                                return limiter.reset(attempts, email).map(v -> found.get());
                            }))
                    .map(u -> {
                        if (u.isBanned()) {
                            throw GoTrueError.USER_BANNED.exception();
                        }
                        if (!u.emailConfirmed()) {
                            throw GoTrueError.EMAIL_NOT_CONFIRMED.exception();
                        }
                        return u;
                    })
                    .chain(u -> tx.runAsService(c -> newSession(c, u.id(), "password", client)));
        });
    }

    /**
     * POST /token?grant_type=refresh_token: rotates the token. A token rotated less than the reuse
     * interval ago returns the session's live token (racing tabs); older reuse revokes the family.
     */
    public Uni<GoTrueSession> refreshGrant(String refreshToken, ClientInfo client) {
        return limiter.perIp(limiter.limits().refresh(), client).chain(() -> rotate(refreshToken));
    }

    private Uni<GoTrueSession> rotate(String refreshToken) {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw GoTrueError.VALIDATION_FAILED.exception("refresh_token required");
        }
        if (refreshToken.length() > 255) {
            throw notFoundRefresh();
        }
        String hash = Secrets.sha256(refreshToken);
        // the family revocation must commit even though the caller gets an error: decide, then act
        return tx.runAsService(c -> tokens.findRefreshForUpdate(c, hash).chain(found -> {
            RefreshToken t = found.orElseThrow(AuthService::notFoundRefresh);
            return users.findById(c, t.userId()).chain(user -> {
                User u = user.orElseThrow(AuthService::notFoundRefresh);
                if (u.isBanned()) {
                    throw GoTrueError.USER_BANNED.exception();
                }
                return tokens.findSession(c, t.sessionId()).chain(session -> {
                    TokenRepository.Session s = session.orElseThrow(AuthService::notFoundRefresh);
                    if (t.revoked()) {
                        boolean recent = t.updatedAt().toInstant().plus(config.refresh().reuseInterval()).isAfter(Instant.now());
                        if (!recent) {
                            return tokens.revokeFamily(c, s.id()).map(v -> (GoTrueSession) null);
                        }
                        // racing tabs: the session is still live, so the late tab gets that session too. Only
                        // hashes are stored, so it gets a sibling of the active child rather than the child's
                        // secret; the tab that rotated first keeps its token.
                        return tokens.activeInSession(c, s.id()).chain(active -> {
                            if (active.isEmpty()) {
                                return Uni.createFrom().item((GoTrueSession) null);
                            }
                            String next = Secrets.refreshToken();
                            return tokens.insertRefresh(c, Secrets.sha256(next), u.id(), s.id(), t.tokenHash())
                                    .chain(() -> tokens.refreshedSession(c, s.id()))
                                    .map(v -> session(u, s.id(), s.amr(), next));
                        });
                    }
                    String next = Secrets.refreshToken();
                    return tokens.replaceActive(c, t.id(), Secrets.sha256(next), u.id(), s.id(), t.tokenHash())
                            .chain(() -> tokens.refreshedSession(c, s.id()))
                            .map(v -> session(u, s.id(), s.amr(), next));
                });
            });
        })).map(body -> {
            if (body == null) {
                throw GoTrueError.REFRESH_TOKEN_ALREADY_USED.exception();
            }
            return body;
        });
    }

    // ---- the signed-in user ----

    /** GET /user. */
    public Uni<GoTrueUser> currentUser(Caller caller) {
        return tx.inSessionAsService(() -> loadCaller(caller)).map(GoTrueUser::of);
    }

    /**
     * PUT /user: data, password, email (SPEC §4.1, §14, as GoTrue's user update). A new password ends every
     * other session of the user and every outstanding one-time token; the caller's session stays. A new
     * email is only requested: it is mailed for confirmation and applied when verified (type email_change),
     * except for an anonymous user while confirmations are off, which gets it at once (like a sign-up).
     */
    public Uni<GoTrueUser> updateUser(Caller caller, String emailIn, String password, Map<String, Object> data,
                                               Optional<EmailChangeSender> mail, ClientInfo client) {
        if (password != null) {
            checkPassword(password);
        }
        String email = emailIn == null || emailIn.isBlank() ? null : email(emailIn);
        UUID keepSession = sessionId(caller);
        Uni<Void> limited = email == null ? Uni.createFrom().voidItem() : limiter.perIp(limiter.limits().mail(), client);
        Uni<String> hashed = password == null ? Uni.createFrom().nullItem() : cpu(() -> Passwords.hash(password));
        return limited.chain(() -> tx.inSessionAsService(() -> loadCaller(caller))).chain(current -> {
            if (password != null) {
                if (current.anonymous() && email == null && (current.email() == null || current.email().isEmpty())) {
                    throw GoTrueError.VALIDATION_FAILED_UNPROCESSABLE.exception(
                            "Updating password of an anonymous user requires an email");
                }
                if (current.passwordHash() != null && !current.passwordHash().isEmpty()) {
                    return cpu(() -> Passwords.matches(password, current.passwordHash())).map(same -> {
                        if (same) {
                            throw GoTrueError.SAME_PASSWORD.exception();
                        }
                        return current;
                    });
                }
            }
            return Uni.createFrom().item(current);
        }).chain(current -> hashed.chain(hash -> tx.runAsService(c -> {
            UUID id = current.id();
            Uni<Void> work = Uni.createFrom().voidItem();
            if (data != null) {
                work = work.chain(() -> users.mergeUserMeta(c, id, new JsonObject(new LinkedHashMap<>(data))));
            }
            if (hash != null) {
                // before the email change below: that one's tokens are issued after the old ones are gone
                work = work.chain(() -> users.setPassword(c, id, hash))
                        .chain(() -> endSessionsAndOneTimeTokens(c, id, keepSession));
            }
            if (email != null && !email.equalsIgnoreCase(current.email() == null ? "" : current.email())) {
                work = work.chain(() -> users.findByEmail(c, email)).chain(other -> {
                    if (other.isPresent() && !other.get().id().equals(id)) {
                        throw GoTrueError.EMAIL_EXISTS.exception();
                    }
                    if (current.anonymous() && config.autoconfirm()) {
                        return applyEmail(c, current, email);
                    }
                    return mail.orElseThrow(() -> new IllegalStateException("an email change needs its mail sender"))
                            .emailChange(c, current, email);
                });
            }
            return work.chain(() -> users.findById(c, id)).map(u -> GoTrueUser.of(u.orElseThrow()));
        })));
    }

    /** What requests an email change by mail (MailFlows): the pending address and its confirmation mail(s). */
    public interface EmailChangeSender {
        Uni<Void> emailChange(SqlConnection c, User user, String newEmail);
    }

    /**
     * After a password change (GoTrue's UpdatePassword): every session but {@code keepSession} (all of them when
     * null, e.g. an admin's change) with its refresh tokens, every one-time token (confirmation, magic link,
     * recovery, email change) and every PKCE flow of the user end, and pending verifications are forgotten:
     * whoever knew the old password, or held a link mailed before, can no longer act as the user.
     */
    public Uni<Void> endSessionsAndOneTimeTokens(SqlConnection c, UUID userId, UUID keepSession) {
        return tokens.deleteUserSessions(c, userId, keepSession)
                .chain(() -> tokens.deleteOneTimeTokensOfUser(c, userId))
                .chain(() -> flows.deleteForUser(c, userId))
                .chain(() -> users.clearPendingVerifications(c, userId));
    }

    /** Sets a (confirmed) email and its identity; an anonymous user becomes a permanent one, same id. */
    Uni<Void> applyEmail(SqlConnection c, User current, String email) {
        UUID id = current.id();
        Uni<Void> work = users.setEmail(c, id, email, true)
                .chain(() -> tokens.deleteOneTimeTokens(c, id, List.of("email_change_token_new", "email_change_token_current")))
                .chain(() -> users.insertIdentity(c, id, "email", id.toString(), new JsonObject()
                        .put("sub", id.toString()).put("email", email).put("email_verified", true).put("phone_verified", false)));
        if (current.anonymous()) {
            work = work.chain(() -> users.mergeAppMeta(c, id, new JsonObject().put("provider", "email")
                    .put("providers", new JsonArray().add("email")))).chain(() -> users.setAnonymous(c, id, false));
        }
        return work;
    }

    /** POST /logout?scope=global|local|others. */
    public Uni<Void> logout(Caller caller, String scope) {
        UUID user = requireUser(caller);
        UUID session = sessionId(caller);
        String s = scope == null || scope.isBlank() ? "global" : scope;
        Supplier<Uni<Void>> work = switch (s) {
            case "global" -> () -> tokens.deleteSessions(user, null).replaceWithVoid();
            case "local" -> () -> session == null ? Uni.createFrom().voidItem() : tokens.deleteSession(session).replaceWithVoid();
            case "others" -> () -> tokens.deleteSessions(user, session).replaceWithVoid();
            default -> throw GoTrueError.VALIDATION_FAILED.exception("Unsupported logout scope '" + s + "'");
        };
        return tx.inSessionAsService(work);
    }

    // ---- helpers shared with the mail flows and the admin API ----

    /** Creates a session and its first refresh token; answers the session body. */
    public Uni<GoTrueSession> newSession(SqlConnection c, UUID userId, String method, ClientInfo client) {
        UUID sessionId = UUID.randomUUID();
        String refresh = Secrets.refreshToken();
        JsonArray amr = new JsonArray().add(new JsonObject().put("method", method).put("timestamp", Instant.now().getEpochSecond()));
        return tokens.createSession(c, sessionId, userId, amr, truncate(client.userAgent(), 512), ipOrNull(client.ip()))
                .chain(() -> tokens.insertRefresh(c, Secrets.sha256(refresh), userId, sessionId, null))
                .chain(() -> users.signedIn(c, userId))
                .chain(() -> users.findById(c, userId))
                .map(u -> session(u.orElseThrow(), sessionId, amr, refresh));
    }

    GoTrueSession session(User u, UUID sessionId, JsonArray amr, String refreshToken) {
        long now = Instant.now().getEpochSecond();
        long exp = now + config.jwt().expiry();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> amrList = (List<Map<String, Object>>) (List<?>) Json.list(amr);
        Map<String, Object> claims = accessTokens.claims(u.id().toString(), u.email(), u.phone(), Json.map(u.appMetadata()),
                Json.map(u.userMetadata()), u.role(), "aal1", amrList, sessionId.toString(), u.anonymous(), now, exp);
        return new GoTrueSession(accessTokens.sign(claims), config.jwt().expiry(), exp, refreshToken, GoTrueUser.of(u));
    }

    /**
     * The caller's user row; its session must still exist (GoTrue: session_not_found). Panache: call it inside
     * {@code tx.inSessionAsService}.
     */
    Uni<User> loadCaller(Caller caller) {
        UUID id = requireUser(caller);
        UUID session = sessionId(caller);
        return users.find(id).chain(found -> {
            User u = found.orElseThrow(() -> GoTrueError.TOKEN_USER_NOT_FOUND.exception());
            if (session == null) {
                return Uni.createFrom().item(u);
            }
            return tokens.findLiveSession(session).map(s -> {
                if (s.isEmpty() || !s.get().userId.equals(id)) {
                    throw GoTrueError.SESSION_NOT_FOUND.exception();
                }
                return u;
            });
        });
    }

    static UUID requireUser(Caller caller) {
        if (!caller.isUser()) {
            throw GoTrueError.NO_AUTHORIZATION.exception();
        }
        return caller.userId();
    }

    static UUID sessionId(Caller caller) {
        Object s = caller.claims() == null ? null : caller.claims().get("session_id");
        if (s == null) {
            return null;
        }
        try {
            return UUID.fromString(s.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Lowercased, validated address: 400 validation_failed otherwise. */
    public static String email(String in) {
        String e = in == null ? "" : in.strip();
        if (e.isEmpty() || e.length() > 255 || !EMAIL.matcher(e).matches()) {
            throw GoTrueError.VALIDATION_FAILED.exception("Unable to validate email address: invalid format");
        }
        return e.toLowerCase();
    }

    public void checkPassword(String password) {
        if (password == null || password.isEmpty()) {
            throw GoTrueError.VALIDATION_FAILED_UNPROCESSABLE.exception("Signup requires a valid password");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > 72) {
            throw GoTrueError.VALIDATION_FAILED_UNPROCESSABLE.exception("Password cannot be longer than 72 characters");
        }
        if (password.codePointCount(0, password.length()) < config.password().minLength()) {
            throw GoTrueError.WEAK_PASSWORD.exception(
                    "Password should be at least " + config.password().minLength() + " characters.")
                    .extra("weak_password", Map.of("reasons", List.of("length")));
        }
    }

    static ApiException notFoundRefresh() {
        return GoTrueError.REFRESH_TOKEN_NOT_FOUND.exception();
    }

    static <T> Uni<T> cpu(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static String ipOrNull(String ip) {
        if (ip == null || ip.isBlank()) {
            return null;
        }
        String v = ip.strip();
        boolean literal = v.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (v.contains(":") && v.matches("[0-9a-fA-F:.]{2,45}"));
        if (!literal) {
            return null;
        }
        try {
            // a literal: parsed without any name lookup
            return java.net.InetAddress.getByName(v).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    static List<String> list(String... items) {
        return new ArrayList<>(List.of(items));
    }
}
