package io.slmgen.auth.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.auth.model.Profile;
import io.slmgen.auth.model.ProfileEntity;
import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.db.DatabaseStamps;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;

/** GET/PATCH /api/profile (SPEC §4.3): the caller's own row, read and changed as the caller under RLS. */
@ApplicationScoped
public class ProfileService {

    private static final Set<String> THEMES = Set.of("dark", "light", "system");

    @Inject
    CallerTransactions tx;

    public Uni<Profile> get(Caller caller) {
        UUID user = caller.requireUser();
        // in the caller's session: the policies hide every other row, so only the caller's own can be found
        return tx.inSession(caller, () -> ProfileEntity.<ProfileEntity>findById(user).map(p -> {
            if (p == null) {
                throw ApiError.NOT_FOUND.exception("no profile for this user");
            }
            return p.toRecord();
        }));
    }

    /**
     * Changes the fields the body names. The body stays a map: a PATCH tells "set to null" from "leave as is"
     * by the key's presence, and an unknown key is answered by name.
     */
    public Uni<Profile> patch(Caller caller, Map<String, Object> body) {
        UUID user = caller.requireUser();
        if (body == null || body.isEmpty()) {
            throw ApiError.VALIDATION_FAILED.exception(
                    "a JSON object with at least one field is required").field("body");
        }
        List<Consumer<ProfileEntity>> changes = new ArrayList<>();
        for (Map.Entry<String, Object> e : body.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            switch (key) {
                case "full_name" -> {
                    String text = text(key, v, 200);
                    changes.add(p -> p.fullName = text);
                }
                case "bio" -> {
                    String text = text(key, v, 1000);
                    changes.add(p -> p.bio = text);
                }
                case "avatar_url" -> {
                    String url = avatar(user, text(key, v, 2048));
                    changes.add(p -> p.avatarUrl = url);
                }
                case "notifications_enabled" -> {
                    if (!(v instanceof Boolean on)) {
                        throw ApiError.VALIDATION_FAILED.exception(
                                "notifications_enabled must be true or false").field(key);
                    }
                    changes.add(p -> p.notificationsEnabled = on);
                }
                case "theme" -> {
                    if (!(v instanceof String theme) || !THEMES.contains(theme)) {
                        throw ApiError.VALIDATION_FAILED.exception(
                                "theme must be one of dark, light, system").field(key);
                    }
                    changes.add(p -> p.theme = theme);
                }
                default -> throw ApiError.VALIDATION_FAILED.exception(
                        "field '" + key + "' cannot be changed").field(key);
            }
        }
        return tx.inSession(caller, () -> ProfileEntity.<ProfileEntity>findById(user).chain(p -> {
            if (p == null) {
                throw ApiError.NOT_FOUND.exception("no profile for this user");
            }
            changes.forEach(change -> change.accept(p));
            // flushed inside the caller's transaction, stamped with the database's clock, read back as stored
            return DatabaseStamps.flushStampAndReread(ProfileEntity.class, p, user)
                    .map(ProfileEntity::toRecord);
        }));
    }

    private static String text(String field, Object v, int max) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw ApiError.VALIDATION_FAILED.exception(field + " must be a string").field(field);
        }
        if (s.length() > max) {
            throw ApiError.VALIDATION_FAILED.exception(
                    field + " must be at most " + max + " characters").field(field);
        }
        if (s.chars().anyMatch(ch -> ch < 0x20 && ch != '\n' && ch != '\t')) {
            throw ApiError.VALIDATION_FAILED.exception(field + " must not contain control characters")
                    .field(field);
        }
        return s;
    }

    /**
     * An avatar is an http(s) URL (e.g. from an OAuth provider) or the caller's own object in the avatars
     * bucket, {@code avatars/{user_id}/avatar.{ext}} (also as a storage URL ending in that path).
     */
    private static String avatar(UUID user, String url) {
        if (url == null || url.isEmpty()) {
            return url;
        }
        int i = url.indexOf("avatars/");
        boolean storagePath = url.startsWith("avatars/") || url.contains("/storage/v1/object/");
        if (storagePath) {
            String rest = i < 0 ? "" : url.substring(i + "avatars/".length());
            if (!rest.matches(java.util.regex.Pattern.quote(user.toString()) + "/avatar\\.[A-Za-z0-9]{1,5}(\\?.*)?")) {
                throw ApiError.VALIDATION_FAILED.exception(
                        "avatar_url must point at avatars/" + user + "/avatar.{ext}").field("avatar_url");
            }
            return url;
        }
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
            throw ApiError.VALIDATION_FAILED.exception(
                    "avatar_url must be an http(s) URL or avatars/" + user + "/avatar.{ext}").field("avatar_url");
        }
        return url;
    }
}
