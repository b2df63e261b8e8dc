package io.slmgen.auth.model;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;

/** A row of auth.users with its identities, as the service reads it. */
public record User(UUID id, String aud, String role, String email, String passwordHash,
                   OffsetDateTime emailConfirmedAt, OffsetDateTime confirmationSentAt, OffsetDateTime recoverySentAt,
                   String emailChange, OffsetDateTime emailChangeSentAt, OffsetDateTime lastSignInAt,
                   JsonObject appMetadata, JsonObject userMetadata, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                   String phone, OffsetDateTime phoneConfirmedAt, OffsetDateTime confirmedAt, OffsetDateTime bannedUntil,
                   boolean anonymous, List<UserIdentity> identities) {

    public static final String COLUMNS = "u.id, u.aud, u.role, u.email, u.encrypted_password, u.email_confirmed_at, "
            + "u.confirmation_sent_at, u.recovery_sent_at, u.email_change, u.email_change_sent_at, u.last_sign_in_at, "
            + "u.raw_app_meta_data, u.raw_user_meta_data, u.created_at, u.updated_at, u.phone, u.phone_confirmed_at, "
            + "u.confirmed_at, u.banned_until, u.is_anonymous, "
            + "coalesce((select jsonb_agg(jsonb_build_object('identity_id', i.id, 'id', i.provider_id, 'user_id', i.user_id, "
            + "'identity_data', i.identity_data, 'provider', i.provider, 'last_sign_in_at', i.last_sign_in_at, "
            + "'created_at', i.created_at, 'updated_at', i.updated_at, 'email', i.email) order by i.created_at, i.id) "
            + "from auth.identities i where i.user_id = u.id), '[]'::jsonb) as identities";

    public static User of(Row r) {
        return new User(r.getUUID("id"), r.getString("aud"), r.getString("role"), r.getString("email"),
                r.getString("encrypted_password"), r.getOffsetDateTime("email_confirmed_at"),
                r.getOffsetDateTime("confirmation_sent_at"), r.getOffsetDateTime("recovery_sent_at"),
                r.getString("email_change"), r.getOffsetDateTime("email_change_sent_at"),
                r.getOffsetDateTime("last_sign_in_at"), json(r.getValue("raw_app_meta_data")),
                json(r.getValue("raw_user_meta_data")), r.getOffsetDateTime("created_at"),
                r.getOffsetDateTime("updated_at"), r.getString("phone"), r.getOffsetDateTime("phone_confirmed_at"),
                r.getOffsetDateTime("confirmed_at"), r.getOffsetDateTime("banned_until"),
                Boolean.TRUE.equals(r.getBoolean("is_anonymous")),
                identities(r.getValue("identities")));
    }

    /** The identities as jsonb_agg built them (COLUMNS). */
    private static List<UserIdentity> identities(Object value) {
        List<UserIdentity> out = new ArrayList<>();
        if (value instanceof JsonArray a) {
            for (int n = 0; n < a.size(); n++) {
                JsonObject i = a.getJsonObject(n);
                out.add(new UserIdentity(i.getString("id"), i.getString("email"), uuid(i.getString("user_id")),
                        i.getString("provider"), time(i.getString("created_at")), time(i.getString("updated_at")),
                        uuid(i.getString("identity_id")), Json.map(i.getJsonObject("identity_data")),
                        time(i.getString("last_sign_in_at"))));
            }
        }
        return out;
    }

    private static UUID uuid(String s) {
        return s == null ? null : UUID.fromString(s);
    }

    private static OffsetDateTime time(String s) {
        return s == null ? null : OffsetDateTime.parse(s);
    }

    private static JsonObject json(Object v) {
        return v instanceof JsonObject o ? o : new JsonObject();
    }

    public boolean isBanned() {
        return bannedUntil != null && bannedUntil.isAfter(OffsetDateTime.now());
    }

    public boolean emailConfirmed() {
        return emailConfirmedAt != null;
    }
}
