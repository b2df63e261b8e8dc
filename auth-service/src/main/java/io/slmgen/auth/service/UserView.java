package io.slmgen.auth.service;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import io.slmgen.auth.model.User;

/** A user as GoTrue renders it (models.User's JSON: optional timestamps omitted when empty). */
public final class UserView {

    private UserView() {
    }

    public static Map<String, Object> of(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id().toString());
        m.put("aud", u.aud() == null ? "" : u.aud());
        m.put("role", u.role() == null ? "" : u.role());
        m.put("email", u.email() == null ? "" : u.email());
        put(m, "email_confirmed_at", u.emailConfirmedAt());
        m.put("phone", u.phone() == null ? "" : u.phone());
        put(m, "phone_confirmed_at", u.phoneConfirmedAt());
        put(m, "confirmation_sent_at", u.confirmationSentAt());
        put(m, "confirmed_at", u.confirmedAt());
        put(m, "recovery_sent_at", u.recoverySentAt());
        if (u.emailChange() != null && !u.emailChange().isEmpty()) {
            m.put("new_email", u.emailChange());
        }
        put(m, "email_change_sent_at", u.emailChangeSentAt());
        put(m, "last_sign_in_at", u.lastSignInAt());
        m.put("app_metadata", Json.map(u.appMetadata()));
        m.put("user_metadata", Json.map(u.userMetadata()));
        m.put("identities", Json.list(u.identities()));
        put(m, "banned_until", u.bannedUntil());
        put(m, "created_at", u.createdAt());
        put(m, "updated_at", u.updatedAt());
        m.put("is_anonymous", u.anonymous());
        return m;
    }

    public static String time(OffsetDateTime t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.toInstant());
    }

    private static void put(Map<String, Object> m, String key, OffsetDateTime t) {
        if (t != null) {
            m.put(key, time(t));
        }
    }
}
