package io.slmgen.auth.repository;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.slmgen.auth.model.IdentityEntity;
import io.slmgen.auth.model.User;
import io.slmgen.auth.model.UserEntity;
import io.slmgen.auth.model.UserIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * auth.users and auth.identities (always used as service_role: auth's own tables). Reads that stand alone go
 * through the Panache entities (call them inside {@code CallerTransactions.inSession*}); the statements that take
 * a {@link SqlConnection} run in one transaction with the session, refresh-token and one-time-token SQL of
 * TokenRepository (row locks, upserts, jsonb operators), so they stay SQL on that connection.
 */
@ApplicationScoped
public class UserRepository {

    // SQL kept: the user and its identities (jsonb_agg) in one statement, inside transactions that lock token rows
    private static final String SELECT = "select " + User.COLUMNS + " from auth.users u ";
    private static final Sort IDENTITY_ORDER = Sort.by("createdAt").and("id");

    // ---- Panache: reads in a Hibernate Reactive session ----

    // one statement per user read (GET /user is every client's frequent call): the identities are joined in, in
    // UserEntity.identities' @OrderBy
    private static final String WITH_IDENTITIES = "select u from UserEntity u left join fetch u.identities where ";

    public Uni<Optional<User>> find(UUID id) {
        return UserEntity.<UserEntity>find(WITH_IDENTITIES + "u.id = ?1 and u.deletedAt is null", id)
                .list().map(UserRepository::withIdentities);
    }

    public Uni<Optional<User>> findByEmail(String email) {
        return UserEntity.<UserEntity>find(WITH_IDENTITIES + "lower(u.email) = lower(?1) and u.deletedAt is null", email)
                .list().map(UserRepository::withIdentities);
    }

    /** One page of live users, oldest first, each with its identities (two statements for the whole page). */
    public Uni<List<User>> list(int limit, int offset) {
        return UserEntity.<UserEntity>find("deletedAt is null", Sort.by("createdAt").and("id"))
                .range(offset, offset + limit - 1).list()
                .chain(page -> page.isEmpty() ? Uni.createFrom().item(List.<User>of())
                        : IdentityEntity.<IdentityEntity>list("userId in ?1", IDENTITY_ORDER,
                                page.stream().map(u -> u.id).toList())
                        .map(identities -> {
                            Map<UUID, List<UserIdentity>> byUser = new HashMap<>();
                            identities.forEach(i -> byUser.computeIfAbsent(i.userId, k -> new ArrayList<>()).add(i.toRecord()));
                            return page.stream().map(u -> user(u, byUser.getOrDefault(u.id, List.of()))).toList();
                        }));
    }

    public Uni<Long> count() {
        return UserEntity.count("deletedAt is null");
    }

    /**
     * Deletes the user (ON DELETE CASCADE takes identities, sessions, tokens and the profile), or soft-deletes it as
     * GoTrue does: the row stays, marked deleted, without its address, phone, password and user metadata.
     */
    public Uni<Boolean> delete(UUID id, boolean soft) {
        if (!soft) {
            return UserEntity.delete("id", id).map(n -> n > 0);
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        return UserEntity.<UserEntity>find("id = ?1 and deletedAt is null", id).firstResult().chain(u -> {
            if (u == null) {
                return Uni.createFrom().item(false);
            }
            u.deletedAt = now;
            u.email = null;
            u.phone = null;
            u.encryptedPassword = "";
            u.rawUserMetaData = new LinkedHashMap<>();
            return Panache.getSession().chain(session -> session.flush()).map(v -> true);
        });
    }

    /** The one user of a joined read (no row limit: a limit would cut the joined identities). */
    private static Optional<User> withIdentities(List<UserEntity> found) {
        return found.stream().findFirst()
                .map(u -> user(u, u.identities.stream().map(IdentityEntity::toRecord).toList()));
    }

    private static User user(UserEntity u, List<UserIdentity> identities) {
        return new User(u.id, u.aud, u.role, u.email, u.encryptedPassword, u.emailConfirmedAt, u.confirmationSentAt,
                u.recoverySentAt, u.emailChange, u.emailChangeSentAt, u.lastSignInAt, json(u.rawAppMetaData),
                json(u.rawUserMetaData), u.createdAt, u.updatedAt, u.phone, u.phoneConfirmedAt, u.confirmedAt,
                u.bannedUntil, u.anonymous, identities);
    }

    private static JsonObject json(Map<String, Object> m) {
        return m == null ? new JsonObject() : new JsonObject(m);
    }

    // ---- SQL on the transaction's connection ----

    public Uni<Optional<User>> findById(SqlConnection c, UUID id) {
        return c.preparedQuery(SELECT + "where u.id = $1 and u.deleted_at is null").execute(Tuple.of(id)).map(UserRepository::first);
    }

    public Uni<Optional<User>> findByEmail(SqlConnection c, String email) {
        return c.preparedQuery(SELECT + "where lower(u.email) = lower($1) and u.deleted_at is null")
                .execute(Tuple.of(email)).map(UserRepository::first);
    }

    public Uni<Optional<User>> findByIdentity(SqlConnection c, String provider, String providerId) {
        return c.preparedQuery(SELECT + "join auth.identities i0 on i0.user_id = u.id "
                        + "where i0.provider = $1 and i0.provider_id = $2 and u.deleted_at is null")
                .execute(Tuple.of(provider, providerId)).map(UserRepository::first);
    }

    /** Adds a provider to raw_app_meta_data.providers (a linked identity); SQL: jsonb_set on the array, in place. */
    public Uni<Void> addProvider(SqlConnection c, UUID id, String provider) {
        return c.preparedQuery("update auth.users set raw_app_meta_data = jsonb_set(raw_app_meta_data, '{providers}', "
                        + "(select coalesce(jsonb_agg(p order by p), '[]'::jsonb) from (select jsonb_array_elements_text("
                        + "coalesce(raw_app_meta_data->'providers', '[]'::jsonb)) p union select $2) x)), updated_at = now() where id = $1")
                .execute(Tuple.of(id, provider)).replaceWithVoid();
    }

    /** Inserts a user; the seed's trigger creates the profile in the same transaction. */
    public Uni<Void> insert(SqlConnection c, UUID id, String email, String passwordHash, JsonObject userMeta,
                            JsonObject appMeta, boolean confirmed, boolean anonymous, boolean confirmationSent,
                            String role) {
        return c.preparedQuery("insert into auth.users (instance_id, id, aud, role, email, encrypted_password, "
                        + "email_confirmed_at, confirmation_sent_at, raw_app_meta_data, raw_user_meta_data, is_anonymous, "
                        + "created_at, updated_at) values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', $9, $2, $3, "
                        + "case when $6 then now() end, case when $8 then now() end, $5, $4, $7, now(), now())")
                .execute(Tuple.from(new Object[] {id, email, passwordHash, userMeta, appMeta, confirmed, anonymous,
                        confirmationSent, role == null ? "authenticated" : role}))
                .replaceWithVoid();
    }

    /** SQL: an upsert on (provider_id, provider), in the sign-up or linking transaction. */
    public Uni<Void> insertIdentity(SqlConnection c, UUID userId, String provider, String providerId, JsonObject data) {
        return c.preparedQuery("insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at) "
                        + "values ($1, $2, $3, $4, now()) on conflict (provider_id, provider) do update set "
                        + "identity_data = excluded.identity_data, updated_at = now()")
                .execute(Tuple.of(providerId, userId, data, provider)).replaceWithVoid();
    }

    public Uni<Void> signedIn(SqlConnection c, UUID id) {
        return c.preparedQuery("update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1")
                .execute(Tuple.of(id)).replaceWithVoid();
    }

    public Uni<Void> setEmail(SqlConnection c, UUID id, String email, boolean confirmed) {
        return c.preparedQuery("update auth.users set email = $2, email_change = '', email_change_sent_at = null, "
                        + "email_confirmed_at = case when $3 then now() else email_confirmed_at end, updated_at = now() where id = $1")
                .execute(Tuple.of(id, email, confirmed))
                .chain(() -> c.preparedQuery("update public.profiles set email = $2, updated_at = now() where id = $1")
                        .execute(Tuple.of(id, email)))
                .replaceWithVoid();
    }

    public Uni<Void> setPendingEmail(SqlConnection c, UUID id, String email) {
        return c.preparedQuery("update auth.users set email_change = $2, email_change_sent_at = now(), "
                        + "email_change_confirm_status = 0, updated_at = now() where id = $1")
                .execute(Tuple.of(id, email)).replaceWithVoid();
    }

    /** One of the two confirmations of a secure email change arrived (GoTrue's email_change_confirm_status 1). */
    public Uni<Void> setEmailChangeConfirmStatus(SqlConnection c, UUID id, int status) {
        return c.preparedQuery("update auth.users set email_change_confirm_status = $2, updated_at = now() where id = $1")
                .execute(Tuple.of(id, status)).replaceWithVoid();
    }

    /** After a password change: nothing mailed before stays pending (GoTrue's UpdatePassword). */
    public Uni<Void> clearPendingVerifications(SqlConnection c, UUID id) {
        return c.preparedQuery("update auth.users set confirmation_sent_at = null, recovery_sent_at = null, "
                        + "email_change = '', email_change_sent_at = null, email_change_confirm_status = 0, "
                        + "updated_at = now() where id = $1")
                .execute(Tuple.of(id)).replaceWithVoid();
    }

    /**
     * A verified external identity takes over an unconfirmed account with its address (GoTrue's
     * RemoveUnconfirmedIdentities): whatever the unconfirmed owner set up is dropped - the password (unless the
     * identity is the email one), the other identities, the user metadata (replaced by the identity's) - and only
     * the taking provider remains in app_metadata.
     */
    public Uni<Void> dropUnconfirmedCredentials(SqlConnection c, UUID id, String provider, String providerId,
                                                JsonObject identityData) {
        String password = "email".equals(provider) ? "encrypted_password" : "null";
        return c.preparedQuery("delete from auth.identities where user_id = $1 and not (provider = $2 and provider_id = $3)")
                .execute(Tuple.of(id, provider, providerId))
                .chain(() -> c.preparedQuery("update auth.users set encrypted_password = " + password + ", "
                                + "raw_user_meta_data = $2, raw_app_meta_data = raw_app_meta_data || jsonb_build_object("
                                + "'provider', $3::text, 'providers', jsonb_build_array($3::text)), updated_at = now() where id = $1")
                        .execute(Tuple.of(id, identityData, provider)))
                .replaceWithVoid();
    }

    public Uni<Void> setPassword(SqlConnection c, UUID id, String hash) {
        return c.preparedQuery("update auth.users set encrypted_password = $2, updated_at = now() where id = $1")
                .execute(Tuple.of(id, hash)).replaceWithVoid();
    }

    /** Merges keys into raw_user_meta_data (GoTrue's PUT /user data semantics); SQL: jsonb {@code ||} in place. */
    public Uni<Void> mergeUserMeta(SqlConnection c, UUID id, JsonObject data) {
        return c.preparedQuery("update auth.users set raw_user_meta_data = raw_user_meta_data || $2, updated_at = now() where id = $1")
                .execute(Tuple.of(id, data)).replaceWithVoid();
    }

    public Uni<Void> mergeAppMeta(SqlConnection c, UUID id, JsonObject data) {
        return c.preparedQuery("update auth.users set raw_app_meta_data = raw_app_meta_data || $2, updated_at = now() where id = $1")
                .execute(Tuple.of(id, data)).replaceWithVoid();
    }

    public Uni<Void> setAnonymous(SqlConnection c, UUID id, boolean anonymous) {
        return c.preparedQuery("update auth.users set is_anonymous = $2, updated_at = now() where id = $1")
                .execute(Tuple.of(id, anonymous)).replaceWithVoid();
    }

    public Uni<Void> confirmEmail(SqlConnection c, UUID id) {
        return c.preparedQuery("update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()), "
                        + "updated_at = now() where id = $1").execute(Tuple.of(id))
                .chain(() -> c.preparedQuery("update auth.identities set identity_data = identity_data || "
                        + "'{\"email_verified\": true}'::jsonb, updated_at = now() where user_id = $1 and provider = 'email'")
                        .execute(Tuple.of(id)))
                .replaceWithVoid();
    }

    public Uni<Void> markSent(SqlConnection c, UUID id, String column) {
        String col = switch (column) {
            case "confirmation" -> "confirmation_sent_at";
            case "recovery" -> "recovery_sent_at";
            default -> throw new IllegalArgumentException(column);
        };
        return c.preparedQuery("update auth.users set " + col + " = now() where id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    /** ban_duration: a positive number of seconds bans until now + that; null lifts the ban. */
    public Uni<Void> setBan(SqlConnection c, UUID id, Long seconds) {
        return c.preparedQuery("update auth.users set banned_until = case when $2::bigint is null then null "
                        + "else now() + make_interval(secs => $2::bigint) end, updated_at = now() where id = $1")
                .execute(Tuple.of(id, seconds)).replaceWithVoid();
    }

    /**
     * Deletes up to {@code limit} anonymous users created more than {@code ttlSeconds} ago that were never upgraded
     * (no email, no phone); the foreign keys' ON DELETE CASCADE remove their sessions, tokens, profile and
     * everything that references the profile. Rows another transaction holds are skipped, not waited for.
     */
    public Uni<Integer> deleteExpiredAnonymous(SqlConnection c, long ttlSeconds, int limit) {
        return c.preparedQuery("with doomed as (select id from auth.users where is_anonymous "
                        + "and (email is null or email = '') and (phone is null or phone = '') "
                        + "and created_at < now() - ($1 * interval '1 second') "
                        + "order by created_at limit $2 for update skip locked) "
                        + "delete from auth.users u using doomed d where u.id = d.id")
                .execute(Tuple.of(ttlSeconds, limit)).map(RowSet::rowCount);
    }

    private static Optional<User> first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(User.of(it.next())) : Optional.empty();
    }
}
