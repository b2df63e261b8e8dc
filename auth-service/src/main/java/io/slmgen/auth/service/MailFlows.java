package io.slmgen.auth.service;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.auth.AuthConfig;
import io.slmgen.auth.model.GeneratedLink;
import io.slmgen.auth.model.GoTrueSession;
import io.slmgen.auth.model.GoTrueUser;
import io.slmgen.auth.model.User;
import io.slmgen.auth.model.VerifyResult;
import io.slmgen.auth.repository.TokenRepository;
import io.slmgen.auth.repository.TokenRepository.OneTimeToken;
import io.slmgen.auth.repository.UserRepository;
import io.slmgen.auth.service.MailService.Kind;
import io.slmgen.auth.token.Secrets;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Mailed one-time tokens (SPEC §4.1): confirmation, magic link / OTP, recovery, email change, and
 * their verification. The link's token and the six-digit code are stored only as SHA-256 hashes,
 * expire, and are deleted when used (the row is locked, so a token works once).
 */
@ApplicationScoped
public class MailFlows {

    static final Set<String> EMAIL_CHANGE_TOKENS = Set.of("email_change_token_new", "email_change_token_current");
    /** GoTrue's answer when the first of the two links of a secure email change is followed. */
    static final String SINGLE_CONFIRMATION = "Confirmation link accepted. Please proceed to confirm link sent to the other email";

    @Inject
    CallerTransactions tx;
    @Inject
    UserRepository users;
    @Inject
    TokenRepository tokens;
    @Inject
    MailService mail;
    @Inject
    AuthService auth;
    @Inject
    AuthConfig config;
    @Inject
    RateLimiter limiter;
    @Inject
    PkceService pkce;

    /** Sign-up with confirmations on: the confirmation mail is sent inside the sign-up transaction. */
    public AuthService.MailSender confirmations(String redirectTo, PkceService.Challenge ch) {
        return (c, existing, email) -> users.findByEmail(c, email)
                .chain(u -> issue(c, u.orElseThrow(), "confirmation_token", Kind.CONFIRM, email, redirectTo, ch, "email/signup"))
                .chain(() -> users.findByEmail(c, email))
                .chain(u -> users.markSent(c, u.orElseThrow().id(), "confirmation"));
    }

    /**
     * An email change waits for confirmation (SPEC §14, GoTrue's sendEmailChange): the new address becomes
     * pending and gets a link; with confirmations on and a current address (secure email change), the current
     * address gets one too and both must be followed. Links mailed for an earlier request stop working.
     */
    public AuthService.EmailChangeSender emailChanges(String redirectTo) {
        return (c, user, newEmail) -> {
            boolean both = !config.autoconfirm() && config.mailer().secureEmailChange()
                    && user.email() != null && !user.email().isEmpty();
            return tokens.deleteOneTimeTokens(c, user.id(), EMAIL_CHANGE_TOKENS)
                    .chain(() -> users.setPendingEmail(c, user.id(), newEmail))
                    .chain(() -> issue(c, user, "email_change_token_new", Kind.EMAIL_CHANGE, newEmail, redirectTo, null, null))
                    .chain(() -> both ? issue(c, user, "email_change_token_current", Kind.EMAIL_CHANGE_CURRENT, user.email(),
                            redirectTo, null, null) : Uni.createFrom().voidItem());
        };
    }

    /** POST /otp and /magiclink: a magic link (existing user) or a confirmation (new user). */
    public Uni<Map<String, Object>> otp(String emailIn, Boolean createUser, Map<String, Object> data, String redirectTo,
                                        PkceService.Challenge ch, ClientInfo client) {
        return limiter.perIp(limiter.limits().mail(), client).chain(() -> otpWithinLimits(emailIn, createUser, data, redirectTo, ch));
    }

    private Uni<Map<String, Object>> otpWithinLimits(String emailIn, Boolean createUser, Map<String, Object> data,
                                                     String redirectTo, PkceService.Challenge ch) {
        String email = AuthService.email(emailIn);
        String redirect = redirect(redirectTo);
        return tx.runAsService(c -> users.findByEmail(c, email).chain(found -> {
            if (found.isPresent()) {
                return issue(c, found.get(), "magiclink_token", Kind.MAGIC_LINK, email, redirect, ch, "magiclink");
            }
            if (Boolean.FALSE.equals(createUser) || config.disableSignup()) {
                throw GoTrueError.OTP_DISABLED.exception();
            }
            UUID id = UUID.randomUUID();
            JsonObject meta = new JsonObject(new LinkedHashMap<>(data == null ? Map.of() : data));
            JsonObject app = new JsonObject().put("provider", "email").put("providers", new JsonArray().add("email"));
            return users.insert(c, id, email, null, meta, app, false, false, true, null)
                    .chain(() -> users.insertIdentity(c, id, "email", id.toString(), new JsonObject().put("sub", id.toString())
                            .put("email", email).put("email_verified", false).put("phone_verified", false)))
                    .chain(() -> users.findById(c, id))
                    .chain(u -> issue(c, u.orElseThrow(), "confirmation_token", Kind.CONFIRM, email, redirect, ch, "email/signup"));
        })).map(v -> new LinkedHashMap<>());
    }

    /** POST /recover: always {} (no account enumeration); a mail only when the address has an account. */
    public Uni<Map<String, Object>> recover(String emailIn, String redirectTo, PkceService.Challenge ch, ClientInfo client) {
        return limiter.perIp(limiter.limits().mail(), client).chain(() -> {
            String email = AuthService.email(emailIn);
            String redirect = redirect(redirectTo);
            return tx.runAsService(c -> users.findByEmail(c, email).chain(found -> found.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : issue(c, found.get(), "recovery_token", Kind.RECOVERY, email, redirect, ch, "recovery")
                            .chain(() -> users.markSent(c, found.get().id(), "recovery"))))
                    .map(v -> new LinkedHashMap<>());
        });
    }

    /**
     * POST /resend {type: signup | email_change, email} (GoTrue's resend): mails the confirmation again when there
     * is one to confirm; always {} otherwise, so the answer does not reveal accounts.
     */
    public Uni<Map<String, Object>> resend(String type, String emailIn, String redirectTo, PkceService.Challenge ch,
                                           ClientInfo client) {
        return limiter.perIp(limiter.limits().mail(), client).chain(() -> {
            String t = type == null ? "" : type;
            if (t.equals("sms") || t.equals("phone_change")) {
                throw GoTrueError.PHONE_PROVIDER_DISABLED.exception();
            }
            if (!t.equals("signup") && !t.equals("email_change")) {
                throw GoTrueError.VALIDATION_FAILED.exception(
                        "Missing one of these types: signup, email_change, sms, phone_change");
            }
            if (emailIn == null || emailIn.isBlank()) {
                throw GoTrueError.VALIDATION_FAILED.exception("Type provided requires an email address");
            }
            String email = AuthService.email(emailIn);
            String redirect = redirect(redirectTo);
            return tx.runAsService(c -> users.findByEmail(c, email).chain(found -> {
                if (found.isEmpty()) {
                    return Uni.createFrom().voidItem();
                }
                User u = found.get();
                if (t.equals("signup")) {
                    return u.emailConfirmed() ? Uni.createFrom().voidItem() : confirmations(redirect, ch).confirm(c, u, email);
                }
                return u.emailChange() == null || u.emailChange().isEmpty() ? Uni.createFrom().voidItem()
                        : emailChanges(redirect).emailChange(c, u, u.emailChange());
            })).map(v -> new LinkedHashMap<>());
        });
    }

    /** GET /verify: 303 to redirect_to with the session in the fragment, or the error in it. */
    public Uni<URI> verifyLink(String token, String type, String redirectTo, ClientInfo client) {
        String redirect = redirect(redirectTo);
        return verifyTokenHash(token, type, client, true)
                .map(result -> {
                    if (result instanceof VerifyResult.OtherAddressPending p) {
                        return URI.create(redirect + "#message=" + MailService.enc(p.msg()) + "&sb=");
                    }
                    if (result instanceof VerifyResult.AuthCode a) {
                        return URI.create(redirect + (redirect.contains("?") ? "&" : "?") + "code=" + MailService.enc(a.code()));
                    }
                    GoTrueSession s = (GoTrueSession) result;
                    return URI.create(redirect + "#access_token=" + s.accessToken() + "&expires_at=" + s.expiresAt()
                            + "&expires_in=" + s.expiresIn() + "&refresh_token=" + s.refreshToken()
                            + "&token_type=bearer&type=" + MailService.enc(type));
                })
                .onFailure(ApiException.class).recoverWithItem(t -> {
                    ApiException e = (ApiException) t;
                    if (e.status() == 429) {
                        throw e;
                    }
                    return URI.create(redirect + "#error=access_denied&error_code=" + e.code()
                            + "&error_description=" + MailService.enc(e.getMessage()));
                });
    }

    /** POST /verify {type, token_hash} (the link's token) or {type, email, token} (the six-digit code). */
    public Uni<VerifyResult> verify(String type, String tokenHash, String email, String code, ClientInfo client) {
        if (tokenHash != null && !tokenHash.isBlank()) {
            return verifyTokenHash(tokenHash, type, client, false);
        }
        if (email == null || email.isBlank() || code == null || code.isBlank()) {
            throw GoTrueError.VALIDATION_FAILED.exception(
                    "Verify requires either a token_hash or an email and a token");
        }
        Set<String> types = tokenTypes(type);
        String address = AuthService.email(email);
        String otpHash = Secrets.sha256(address + ":" + code.strip());
        RateLimiter.Limit attempts = limiter.limits().codeAttempts();
        return limitVerify(client).chain(() -> tx.runAsService(c -> tokens.findByAddress(c, address, types).chain(list -> {
            OneTimeToken match = null;
            for (OneTimeToken t : list) {
                if (Secrets.same(t.otpHash(), otpHash)) {
                    match = t;
                }
            }
            if (match != null) {
                if (match.expired()) {
                    throw expired();
                }
                return consume(c, match, client, false);
            }
            // a wrong code counts against every live code mailed to the address for these types (SPEC §14); at
            // the limit the code is deleted, so guessing one code takes a new mail every few tries. The counts
            // and deletions commit: the 403 is decided after the transaction (null below).
            Uni<Void> counted = Uni.createFrom().voidItem();
            for (OneTimeToken t : list) {
                if (!t.expired() && attempts.max() > 0) {
                    counted = counted.chain(() -> limiter.count(c, attempts, t.tokenHash())
                            .chain(w -> w.hits() >= attempts.max() ? tokens.deleteOneTimeToken(c, t.id()) : Uni.createFrom().voidItem()));
                }
            }
            return counted.map(v -> (VerifyResult) null);
        }))).map(s -> {
            if (s == null) {
                throw expired();
            }
            return s;
        });
    }

    private Uni<VerifyResult> verifyTokenHash(String token, String type, ClientInfo client, boolean link) {
        return limitVerify(client).chain(() -> {
            Set<String> types = tokenTypes(type);
            if (token == null || token.isBlank() || token.length() > 512) {
                throw expired();
            }
            String hash = Secrets.sha256(token);
            return tx.runAsService(c -> tokens.findByTokenHash(c, hash).chain(found -> {
                OneTimeToken t = found.orElseThrow(MailFlows::expired);
                if (!types.contains(t.type()) || t.expired()) {
                    throw expired();
                }
                return consume(c, t, client, link);
            }));
        });
    }

    /** Uses the token once: applies what it proves, deletes it, signs the user in. */
    private Uni<VerifyResult> consume(SqlConnection c, OneTimeToken t, ClientInfo client, boolean link) {
        return tokens.deleteOneTimeToken(c, t.id()).chain(() -> users.findById(c, t.userId())).chain(found -> {
            User u = found.orElseThrow(MailFlows::expired);
            if (u.isBanned()) {
                throw GoTrueError.USER_BANNED.exception();
            }
            if (EMAIL_CHANGE_TOKENS.contains(t.type())) {
                String pending = u.emailChange();
                boolean stale = pending == null || pending.isEmpty()
                        || ("email_change_token_new".equals(t.type()) && !pending.equalsIgnoreCase(t.relatesTo()))
                        || ("email_change_token_current".equals(t.type()) && !t.relatesTo().equalsIgnoreCase(u.email()));
                if (stale) {
                    throw expired();
                }
                String other = "email_change_token_new".equals(t.type()) ? "email_change_token_current" : "email_change_token_new";
                return tokens.hasOneTimeToken(c, u.id(), other).chain(waiting -> waiting
                        // secure email change: this address is confirmed, the other one still has to be
                        ? users.setEmailChangeConfirmStatus(c, u.id(), 1)
                                .map(v -> (VerifyResult) new VerifyResult.OtherAddressPending(SINGLE_CONFIRMATION, "200"))
                        : users.findByEmail(c, pending).chain(taken -> {
                            if (taken.isPresent() && !taken.get().id().equals(u.id())) {
                                throw GoTrueError.EMAIL_EXISTS.exception();
                            }
                            return auth.applyEmail(c, u, pending);
                        }).chain(() -> signIn(c, t, u, client, link)));
            }
            Uni<Void> effect = users.confirmEmail(c, u.id());
            return effect.chain(() -> signIn(c, t, u, client, link));
        });
    }

    private Uni<VerifyResult> signIn(SqlConnection c, OneTimeToken t, User u, ClientInfo client, boolean link) {
        String method = "recovery_token".equals(t.type()) ? "recovery" : "otp";
        if (link && t.flowStateId() != null) {
            // PKCE: the redirect carries an auth code; the client that holds the verifier exchanges it
            return pkce.issueCode(c, t.flowStateId(), u.id(), null, null)
                    .map(code -> (VerifyResult) new VerifyResult.AuthCode(code));
        }
        return auth.newSession(c, u.id(), method, client).map(s -> (VerifyResult) s);
    }

    private Uni<Void> issue(SqlConnection c, User user, String tokenType, Kind kind, String to, String redirect,
                            PkceService.Challenge ch, String authMethod) {
        // counted in the transaction: a mail that is not sent (refused, or the send failed) is not counted
        return limiter.hit(c, limiter.limits().emailSent(), to)
                .chain(() -> store(c, user, tokenType, to, ch, authMethod))
                .chain(issued -> mail.send(kind, to, issued.link(), issued.code(), redirect));
    }

    /** A one-time token's two secrets as handed out: the link's token and the six-digit code. */
    record Issued(String link, String code) {
    }

    /** Stores a new one-time token (hashes only), replacing the user's previous one of that type. */
    private Uni<Issued> store(SqlConnection c, User user, String tokenType, String to, PkceService.Challenge ch,
                              String authMethod) {
        String link = Secrets.linkToken();
        String code = Secrets.otpCode();
        return (ch == null ? Uni.createFrom().<UUID>nullItem() : pkce.create(c, user.id(), ch, "email", authMethod))
                .chain(flowId -> tokens.putOneTimeToken(c, user.id(), tokenType, Secrets.sha256(link),
                        Secrets.sha256(to + ":" + code), to, config.otp().expiry(), flowId))
                .map(v -> new Issued(link, code));
    }

    /**
     * POST /admin/generate_link (service_role; GoTrue's generateLink) for {@code magiclink} and {@code recovery}:
     * the link and code a mail would carry, answered instead of mailed, with the user's fields beside them
     * ({@code action_link, email_otp, hashed_token, verification_type, redirect_to}). A magic link for an unknown
     * address creates the user (unconfirmed, as /otp does).
     */
    public Uni<GeneratedLink> generateLink(String type, String emailIn, Map<String, Object> data, String redirectTo) {
        String t = type == null ? "" : type;
        if (!t.equals("magiclink") && !t.equals("recovery")) {
            throw GoTrueError.VALIDATION_FAILED.exception(
                    "Invalid email action link type requested (magiclink, recovery)");
        }
        String email = AuthService.email(emailIn);
        String redirect = redirect(redirectTo);
        return tx.runAsService(c -> users.findByEmail(c, email).chain(found -> {
            if (found.isEmpty() && t.equals("recovery")) {
                throw GoTrueError.USER_NOT_FOUND.exception("User with this email not found");
            }
            Uni<User> user = found.isPresent() ? Uni.createFrom().item(found.get()) : createUnconfirmed(c, email, data);
            return user.chain(u -> {
                String tokenType = t.equals("recovery") ? "recovery_token" : u.emailConfirmed() ? "magiclink_token" : "confirmation_token";
                String verification = t.equals("recovery") ? "recovery" : u.emailConfirmed() ? "magiclink" : "signup";
                return store(c, u, tokenType, email, null, null).chain(issued -> users.findById(c, u.id()).map(now ->
                        new GeneratedLink(GoTrueUser.of(now.orElseThrow()), mail.link(kindOf(verification), issued.link(), redirect),
                                issued.code(), issued.link(), verification, redirect)));
            });
        }));
    }

    private static Kind kindOf(String verification) {
        return switch (verification) {
            case "recovery" -> Kind.RECOVERY;
            case "signup" -> Kind.CONFIRM;
            default -> Kind.MAGIC_LINK;
        };
    }

    private Uni<User> createUnconfirmed(SqlConnection c, String email, Map<String, Object> data) {
        if (config.disableSignup()) {
            throw GoTrueError.SIGNUP_DISABLED.exception();
        }
        UUID id = UUID.randomUUID();
        JsonObject meta = new JsonObject(new LinkedHashMap<>(data == null ? Map.of() : data));
        JsonObject app = new JsonObject().put("provider", "email").put("providers", new JsonArray().add("email"));
        return users.insert(c, id, email, null, meta, app, false, false, false, null)
                .chain(() -> users.insertIdentity(c, id, "email", id.toString(), new JsonObject().put("sub", id.toString())
                        .put("email", email).put("email_verified", false).put("phone_verified", false)))
                .chain(() -> users.findById(c, id)).map(u -> u.orElseThrow());
    }

    private static Set<String> tokenTypes(String type) {
        String t = type == null ? "" : type;
        return switch (t) {
            case "signup", "invite" -> Set.of("confirmation_token");
            case "magiclink" -> Set.of("magiclink_token");
            case "email" -> Set.of("confirmation_token", "magiclink_token");
            case "recovery" -> Set.of("recovery_token");
            case "email_change" -> EMAIL_CHANGE_TOKENS;
            default -> throw GoTrueError.VALIDATION_FAILED.exception("Verify requires a verification type");
        };
    }

    private Uni<Void> limitVerify(ClientInfo client) {
        return limiter.perIp(limiter.limits().verify(), client);
    }

    static ApiException expired() {
        return GoTrueError.OTP_EXPIRED.exception();
    }

    /** redirect_to when it is on an allowed origin (and under its path), else the site's redirect URL. */
    public String redirect(String redirectTo) {
        String fallback = config.redirectUrl();
        if (redirectTo == null || redirectTo.isBlank()) {
            return fallback;
        }
        URI target;
        try {
            target = URI.create(redirectTo.strip());
        } catch (IllegalArgumentException e) {
            return fallback;
        }
        if (target.getScheme() == null || target.getHost() == null || target.getRawFragment() != null) {
            return fallback;
        }
        List<String> allowed = new ArrayList<>(List.of(config.redirectUrl(), config.siteUrl()));
        config.additionalRedirectUrls().ifPresent(allowed::addAll);
        for (String a : allowed) {
            try {
                URI base = URI.create(a);
                String basePath = base.getPath() == null ? "" : base.getPath();
                String path = target.getPath() == null ? "" : target.getPath();
                if (base.getScheme().equalsIgnoreCase(target.getScheme()) && base.getHost().equalsIgnoreCase(target.getHost())
                        && port(base) == port(target) && path.startsWith(basePath)) {
                    return target.toString();
                }
            } catch (RuntimeException ignored) {
                // a malformed allow-list entry matches nothing
            }
        }
        return fallback;
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : ("https".equalsIgnoreCase(u.getScheme()) ? 443 : 80);
    }

    public Optional<AuthService.MailSender> signupMail(String redirectTo, PkceService.Challenge ch) {
        return config.autoconfirm() ? Optional.empty() : Optional.of(confirmations(redirect(redirectTo), ch));
    }
}
