package io.slmgen.auth.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.shared.db.CallerTransactions;
import io.slmgen.shared.db.RowJson;
import io.slmgen.shared.error.ApiError;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;

/** GET/PATCH /api/profile (SPEC §4.3): the caller's own row, read and changed as the caller under RLS. */
@ApplicationScoped
public class ProfileService {

    private static final Set<String> THEMES = Set.of("dark", "light", "system");
    private static final String COLUMNS = "id, email, full_name, avatar_url, bio, notifications_enabled, theme, created_at, updated_at";

    @Inject
    CallerTransactions tx;

    public Uni<Map<String, Object>> get(Caller caller) {
        caller.requireUser();
        return tx.run(caller, c -> c.preparedQuery("select " + COLUMNS + " from public.profiles where id = auth.uid()")
                .execute().map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        throw ApiError.NOT_FOUND.exception("no profile for this user");
                    }
                    return RowJson.toMap(it.next());
                }));
    }

    public Uni<Map<String, Object>> patch(Caller caller, Map<String, Object> body) {
        UUID user = caller.requireUser();
        if (body == null || body.isEmpty()) {
            throw ApiError.VALIDATION_FAILED.exception(
                    "a JSON object with at least one field is required").field("body");
        }
        List<String> sets = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (Map.Entry<String, Object> e : body.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            switch (key) {
                case "full_name" -> values.add(text(key, v, 200));
                case "bio" -> values.add(text(key, v, 1000));
                case "avatar_url" -> values.add(avatar(user, text(key, v, 2048)));
                case "notifications_enabled" -> {
                    if (!(v instanceof Boolean)) {
                        throw ApiError.VALIDATION_FAILED.exception(
                                "notifications_enabled must be true or false").field(key);
                    }
                    values.add(v);
                }
                case "theme" -> {
                    if (!(v instanceof String s) || !THEMES.contains(s)) {
                        throw ApiError.VALIDATION_FAILED.exception(
                                "theme must be one of dark, light, system").field(key);
                    }
                    values.add(v);
                }
                default -> throw ApiError.VALIDATION_FAILED.exception(
                        "field '" + key + "' cannot be changed").field(key);
            }
            sets.add(key + " = $" + values.size());
        }
        String sql = "update public.profiles set " + String.join(", ", sets) + ", updated_at = now() "
                + "where id = auth.uid() returning " + COLUMNS;
        return tx.run(caller, c -> c.preparedQuery(sql).execute(Tuple.from(values)).map(rows -> {
            var it = rows.iterator();
            if (!it.hasNext()) {
                throw ApiError.NOT_FOUND.exception("no profile for this user");
            }
            return RowJson.toMap(it.next());
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
