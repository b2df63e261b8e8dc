package io.slmgen.auth.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.auth.model.GoTrueUser;
import io.slmgen.auth.model.User;
import io.slmgen.auth.repository.TokenRepository;
import io.slmgen.auth.repository.UserRepository;
import io.slmgen.auth.rest.AuthRequests;
import io.slmgen.auth.token.Passwords;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** GoTrue's admin users API (service_role only). */
@ApplicationScoped
public class AdminService {

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    public record UserPage(List<GoTrueUser> users, long total, int page, int perPage) {
    }

    @Inject
    CallerTransactions tx;
    @Inject
    UserRepository users;
    @Inject
    TokenRepository tokens;
    @Inject
    AuthService auth;

    public Uni<UserPage> list(Caller caller, Integer page, Integer perPage) {
        requireAdmin(caller);
        int p = page == null || page < 1 ? 1 : page;
        int per = perPage == null || perPage < 1 ? 50 : Math.min(perPage, 1000);
        return tx.inSessionAsService(() -> users.list(per, (p - 1) * per)
                .chain(list -> users.count().map(total -> new UserPage(list.stream().map(GoTrueUser::of).toList(), total, p, per))));
    }

    public Uni<GoTrueUser> get(Caller caller, UUID id) {
        requireAdmin(caller);
        return tx.inSessionAsService(() -> users.find(id)).map(u -> GoTrueUser.of(u.orElseThrow(AdminService::notFound)));
    }

    public Uni<GoTrueUser> create(Caller caller, AuthRequests.AdminUser req) {
        requireAdmin(caller);
        if (req == null || req.email() == null || req.email().isBlank()) {
            throw GoTrueError.VALIDATION_FAILED.exception("Unable to validate email address: invalid format");
        }
        String email = AuthService.email(req.email());
        if (req.password() != null) {
            auth.checkPassword(req.password());
        }
        Long ban = req.ban_duration() == null ? null : banSeconds(req.ban_duration());
        boolean confirmed = Boolean.TRUE.equals(req.email_confirm());
        UUID id = UUID.randomUUID();
        Uni<String> hashed = req.password() == null ? Uni.createFrom().nullItem() : AuthService.cpu(() -> Passwords.hash(req.password()));
        return hashed.chain(hash -> tx.runAsService(c -> users.findByEmail(c, email).chain(existing -> {
            if (existing.isPresent()) {
                throw GoTrueError.EMAIL_EXISTS.exception();
            }
            JsonObject app = new JsonObject(new LinkedHashMap<>(req.app_metadata() == null ? Map.of() : req.app_metadata()))
                    .put("provider", "email").put("providers", new JsonArray().add("email"));
            JsonObject meta = new JsonObject(new LinkedHashMap<>(req.user_metadata() == null ? Map.of() : req.user_metadata()));
            return users.insert(c, id, email, hash, meta, app, confirmed, false, false, role(req.role()))
                    .chain(() -> users.insertIdentity(c, id, "email", id.toString(), new JsonObject().put("sub", id.toString())
                            .put("email", email).put("email_verified", confirmed).put("phone_verified", false)))
                    .chain(() -> ban == null ? Uni.createFrom().voidItem() : users.setBan(c, id, ban))
                    .chain(() -> users.findById(c, id)).map(u -> GoTrueUser.of(u.orElseThrow()));
        })));
    }

    public Uni<GoTrueUser> update(Caller caller, UUID id, AuthRequests.AdminUser req) {
        requireAdmin(caller);
        if (req == null) {
            throw GoTrueError.VALIDATION_FAILED.exception();
        }
        String email = req.email() == null || req.email().isBlank() ? null : AuthService.email(req.email());
        if (req.password() != null) {
            auth.checkPassword(req.password());
        }
        String banText = req.ban_duration();
        Long ban = banText == null || "none".equals(banText) ? null : banSeconds(banText);
        Uni<String> hashed = req.password() == null ? Uni.createFrom().nullItem() : AuthService.cpu(() -> Passwords.hash(req.password()));
        return hashed.chain(hash -> tx.runAsService(c -> users.findById(c, id).chain(found -> {
            User u = found.orElseThrow(AdminService::notFound);
            Uni<Void> work = Uni.createFrom().voidItem();
            if (email != null && !email.equalsIgnoreCase(u.email() == null ? "" : u.email())) {
                work = work.chain(() -> users.findByEmail(c, email)).chain(other -> {
                    if (other.isPresent()) {
                        throw GoTrueError.EMAIL_EXISTS.exception();
                    }
                    return auth.applyEmail(c, u, email);
                });
            }
            if (hash != null) {
                // as GoTrue: an admin's password change ends every session of the user and every mailed token
                work = work.chain(() -> users.setPassword(c, id, hash))
                        .chain(() -> auth.endSessionsAndOneTimeTokens(c, id, null));
            }
            if (Boolean.TRUE.equals(req.email_confirm())) {
                work = work.chain(() -> users.confirmEmail(c, id));
            }
            if (req.user_metadata() != null) {
                work = work.chain(() -> users.mergeUserMeta(c, id, new JsonObject(new LinkedHashMap<>(req.user_metadata()))));
            }
            if (req.app_metadata() != null) {
                work = work.chain(() -> users.mergeAppMeta(c, id, new JsonObject(new LinkedHashMap<>(req.app_metadata()))));
            }
            if (banText != null) {
                // a ban also ends every session: its refresh tokens stop working at once
                work = work.chain(() -> users.setBan(c, id, ban))
                        .chain(() -> ban == null ? Uni.createFrom().voidItem() : tokens.deleteUserSessions(c, id, null).replaceWithVoid());
            }
            return work.chain(() -> users.findById(c, id)).map(x -> GoTrueUser.of(x.orElseThrow()));
        })));
    }

    public Uni<Map<String, Object>> delete(Caller caller, UUID id, boolean soft) {
        requireAdmin(caller);
        return tx.inSessionAsService(() -> tokens.deleteSessions(id, null).chain(() -> users.delete(id, soft)))
                .map(deleted -> {
                    if (!deleted) {
                        throw notFound();
                    }
                    return new LinkedHashMap<>();
                });
    }

    /** Go's duration syntax ("24h", "1h30m", "90s"); 400 otherwise. */
    static long banSeconds(String text) {
        String t = text.strip();
        Matcher m = DURATION_PART.matcher(t);
        double seconds = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            double v = Double.parseDouble(m.group(1));
            seconds += switch (m.group(2)) {
                case "h" -> v * 3600;
                case "m" -> v * 60;
                case "s" -> v;
                case "ms" -> v / 1000;
                default -> v / 1_000_000;
            };
            end = m.end();
        }
        if (t.isEmpty() || end != t.length() || seconds < 1 || seconds > 100L * 365 * 24 * 3600) {
            throw GoTrueError.VALIDATION_FAILED.exception("invalid format for ban duration: " + text);
        }
        return (long) Math.ceil(seconds);
    }

    private static String role(String role) {
        if (role == null || role.isBlank()) {
            return null;
        }
        if (!role.equals("authenticated") && !role.equals("service_role") && !role.equals("anon")) {
            throw GoTrueError.VALIDATION_FAILED.exception("role must be authenticated, anon or service_role");
        }
        return role;
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.isServiceRole()) {
            throw GoTrueError.NOT_ADMIN.exception();
        }
    }

    private static ApiException notFound() {
        return GoTrueError.USER_NOT_FOUND.exception();
    }
}
