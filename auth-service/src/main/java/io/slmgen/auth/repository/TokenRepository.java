package io.slmgen.auth.repository;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.slmgen.auth.model.SessionEntity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** auth.sessions, auth.refresh_tokens and auth.one_time_tokens. Secrets are stored as SHA-256 hashes. */
@ApplicationScoped
public class TokenRepository {

    public record Session(UUID id, UUID userId, String aal, JsonArray amr) {
    }

    public record RefreshToken(long id, String tokenHash, UUID userId, boolean revoked, OffsetDateTime updatedAt,
                               String parent, UUID sessionId) {
        static RefreshToken of(Row r) {
            return new RefreshToken(r.getLong("id"), r.getString("token"), UUID.fromString(r.getString("user_id")),
                    Boolean.TRUE.equals(r.getBoolean("revoked")), r.getOffsetDateTime("updated_at"),
                    r.getString("parent"), r.getUUID("session_id"));
        }
    }

    public record OneTimeToken(UUID id, UUID userId, String type, String tokenHash, String otpHash, String relatesTo,
                               OffsetDateTime expiresAt, UUID flowStateId) {
        static OneTimeToken of(Row r) {
            return new OneTimeToken(r.getUUID("id"), r.getUUID("user_id"), r.getString("token_type"),
                    r.getString("token_hash"), r.getString("otp_hash"), r.getString("relates_to"),
                    r.getOffsetDateTime("expires_at"), r.getUUID("flow_state_id"));
        }

        public boolean expired() {
            return expiresAt.isBefore(OffsetDateTime.now());
        }
    }

    // ---- sessions ----

    /** Panache (in a Hibernate Reactive session): the session if it exists and has not ended. */
    public Uni<Optional<SessionEntity>> findLiveSession(UUID id) {
        return SessionEntity.<SessionEntity>findById(id).map(s -> s != null && s.live() ? Optional.of(s) : Optional.empty());
    }

    /** Panache: ends the user's sessions (refresh tokens go with them: ON DELETE CASCADE), except {@code keep}. */
    public Uni<Long> deleteSessions(UUID userId, UUID keep) {
        return keep == null ? SessionEntity.delete("userId", userId)
                : SessionEntity.delete("userId = ?1 and id <> ?2", userId, keep);
    }

    /** Panache: ends one session. */
    public Uni<Boolean> deleteSession(UUID id) {
        return SessionEntity.delete("id", id).map(n -> n > 0); // one statement, never deleteById (shared-rls README)
    }

    // SQL kept below: each runs in the transaction that also locks and rotates refresh tokens (for update,
    // revoking a family in one statement) or upserts one-time tokens, on that transaction's connection

    public Uni<Void> createSession(SqlConnection c, UUID id, UUID userId, JsonArray amr, String userAgent, String ip) {
        return c.preparedQuery("insert into auth.sessions (id, user_id, aal, amr, user_agent, ip) "
                        + "values ($1, $2, 'aal1', $3, $4, cast($5::text as inet))")
                .execute(Tuple.of(id, userId, amr, userAgent, ip)).replaceWithVoid();
    }

    public Uni<Optional<Session>> findSession(SqlConnection c, UUID id) {
        return c.preparedQuery("select id, user_id, aal, amr from auth.sessions where id = $1 "
                        + "and (not_after is null or not_after > now())")
                .execute(Tuple.of(id)).map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return Optional.empty();
                    }
                    Row r = it.next();
                    return Optional.of(new Session(r.getUUID("id"), r.getUUID("user_id"), r.getString("aal"),
                            r.getValue("amr") instanceof JsonArray a ? a : new JsonArray()));
                });
    }

    public Uni<Void> refreshedSession(SqlConnection c, UUID id) {
        return c.preparedQuery("update auth.sessions set refreshed_at = now() at time zone 'utc', updated_at = now() where id = $1")
                .execute(Tuple.of(id)).replaceWithVoid();
    }

    /** Deletes every session of the user (their refresh tokens go with them), except {@code keep} if given. */
    public Uni<Integer> deleteUserSessions(SqlConnection c, UUID userId, UUID keep) {
        return c.preparedQuery("delete from auth.sessions where user_id = $1 and ($2::uuid is null or id <> $2::uuid)")
                .execute(Tuple.of(userId, keep)).map(RowSet::rowCount);
    }

    // ---- refresh tokens ----

    public Uni<Void> insertRefresh(SqlConnection c, String tokenHash, UUID userId, UUID sessionId, String parentHash) {
        return c.preparedQuery("insert into auth.refresh_tokens (instance_id, token, user_id, session_id, parent) "
                        + "values ('00000000-0000-0000-0000-000000000000', $1, $2, $3, $4)")
                .execute(Tuple.of(tokenHash, userId.toString(), sessionId, parentHash)).replaceWithVoid();
    }

    /** Locks the row: concurrent refreshes of one token are serialised. */
    public Uni<Optional<RefreshToken>> findRefreshForUpdate(SqlConnection c, String tokenHash) {
        return c.preparedQuery("select id, token, user_id, revoked, updated_at, parent, session_id "
                        + "from auth.refresh_tokens where token = $1 for update")
                .execute(Tuple.of(tokenHash)).map(rows -> {
                    var it = rows.iterator();
                    return it.hasNext() ? Optional.of(RefreshToken.of(it.next())) : Optional.empty();
                });
    }

    public Uni<Void> revoke(SqlConnection c, long id) {
        return c.preparedQuery("update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1")
                .execute(Tuple.of(id)).replaceWithVoid();
    }

    /** The session's live (unrevoked) refresh token, if any. */
    public Uni<Optional<RefreshToken>> activeInSession(SqlConnection c, UUID sessionId) {
        return c.preparedQuery("select id, token, user_id, revoked, updated_at, parent, session_id "
                        + "from auth.refresh_tokens where session_id = $1 and not revoked order by id desc limit 1")
                .execute(Tuple.of(sessionId)).map(rows -> {
                    var it = rows.iterator();
                    return it.hasNext() ? Optional.of(RefreshToken.of(it.next())) : Optional.empty();
                });
    }

    /** Reuse detected: every token of the session is revoked. */
    public Uni<Void> revokeFamily(SqlConnection c, UUID sessionId) {
        return c.preparedQuery("update auth.refresh_tokens set revoked = true, updated_at = now() "
                        + "where session_id = $1 and not revoked").execute(Tuple.of(sessionId)).replaceWithVoid();
    }

    /** Replaces the live token of the session with a new one whose secret the caller now knows. */
    public Uni<Void> replaceActive(SqlConnection c, long oldId, String newHash, UUID userId, UUID sessionId, String parentHash) {
        return revoke(c, oldId).chain(() -> insertRefresh(c, newHash, userId, sessionId, parentHash));
    }

    // ---- one-time tokens ----

    public Uni<Void> putOneTimeToken(SqlConnection c, UUID userId, String type, String tokenHash, String otpHash,
                                     String relatesTo, java.time.Duration ttl, UUID flowStateId) {
        return c.preparedQuery("insert into auth.one_time_tokens (user_id, token_type, token_hash, otp_hash, relates_to, expires_at, flow_state_id) "
                        + "values ($1, $2, $3, $4, $5, now() + make_interval(secs => $6), $7) "
                        + "on conflict (user_id, token_type) do update set token_hash = excluded.token_hash, "
                        + "otp_hash = excluded.otp_hash, relates_to = excluded.relates_to, expires_at = excluded.expires_at, "
                        + "flow_state_id = excluded.flow_state_id, created_at = now(), updated_at = now()")
                .execute(Tuple.from(new Object[] {userId, type, tokenHash, otpHash, relatesTo, (double) ttl.toSeconds(), flowStateId}))
                .replaceWithVoid();
    }

    public Uni<Optional<OneTimeToken>> findByTokenHash(SqlConnection c, String tokenHash) {
        return c.preparedQuery("select * from auth.one_time_tokens where token_hash = $1 for update")
                .execute(Tuple.of(tokenHash)).map(TokenRepository::firstOtt);
    }

    public Uni<java.util.List<OneTimeToken>> findForUser(SqlConnection c, UUID userId) {
        return c.preparedQuery("select * from auth.one_time_tokens where user_id = $1 for update")
                .execute(Tuple.of(userId)).map(rows -> {
                    java.util.List<OneTimeToken> out = new java.util.ArrayList<>();
                    rows.forEach(r -> out.add(OneTimeToken.of(r)));
                    return out;
                });
    }

    /**
     * The tokens mailed to {@code address} (lowercase, as issued) of the given types, locked: a six-digit code
     * is checked against them, and wrong codes are counted against them.
     */
    public Uni<java.util.List<OneTimeToken>> findByAddress(SqlConnection c, String address, java.util.Collection<String> types) {
        return c.preparedQuery("select * from auth.one_time_tokens where relates_to = $1 and token_type = any($2) for update")
                .execute(Tuple.of(address, types.toArray(new String[0]))).map(rows -> {
                    java.util.List<OneTimeToken> out = new java.util.ArrayList<>();
                    rows.forEach(r -> out.add(OneTimeToken.of(r)));
                    return out;
                });
    }

    public Uni<Boolean> hasOneTimeToken(SqlConnection c, UUID userId, String type) {
        return c.preparedQuery("select 1 from auth.one_time_tokens where user_id = $1 and token_type = $2")
                .execute(Tuple.of(userId, type)).map(rows -> rows.size() > 0);
    }

    /** Every one-time token of the user (a password change ends them all). */
    public Uni<Void> deleteOneTimeTokensOfUser(SqlConnection c, UUID userId) {
        return c.preparedQuery("delete from auth.one_time_tokens where user_id = $1").execute(Tuple.of(userId)).replaceWithVoid();
    }

    public Uni<Void> deleteOneTimeTokens(SqlConnection c, UUID userId, java.util.Collection<String> types) {
        return c.preparedQuery("delete from auth.one_time_tokens where user_id = $1 and token_type = any($2)")
                .execute(Tuple.of(userId, types.toArray(new String[0]))).replaceWithVoid();
    }

    public Uni<Void> deleteOneTimeToken(SqlConnection c, UUID id) {
        return c.preparedQuery("delete from auth.one_time_tokens where id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    private static Optional<OneTimeToken> firstOtt(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(OneTimeToken.of(it.next())) : Optional.empty();
    }
}
